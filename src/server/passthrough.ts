import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import type { RefusalKind } from '../lib/api/traffic.ts';
import type { NewestCall } from './capture/ring.ts';
import type { ServerConfig } from './config.ts';
import { DATA_HEADERS } from './guards.ts';
import { upstreamRequestHeaders } from './passthrough/headers.ts';
import type { FetchLike } from './passthrough/local.ts';
import { proxy, proxyError, proxyErrorBody, size, type CallSink } from './passthrough/proxy.ts';
import { capturedUpstream, recordRefusal } from './passthrough/refusal.ts';
import { isTooLarge, requestBody } from './passthrough/body.ts';
import type { BodyTap } from './passthrough/tap.ts';
import { passthroughTarget } from './upstreams.ts';

/**
 * PandaDoc-compatible paths on the app's own origin, so any PandaDoc client (the official SDK
 * included) can use this server as its base URL: `/oauth2/access_token` and everything under
 * `/public/` go to the default upstream, and the same paths under `/us` or `/eu` to that region.
 * (The simulator is reached directly at `/sim`.) See upstreams.ts for the routing.
 */

/** The token endpoint's forms are tiny; anything bigger is refused before it is read. */
export const TOKEN_MAX_BODY = 64 * 1024;
/** Document uploads through `/public/`. */
export const PUBLIC_MAX_BODY = 100 * 1024 * 1024;

/** Methods no proxy should pass: tracing echoes credentials, CONNECT opens tunnels. */
const REFUSED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export interface PassthroughOptions {
  /** The upstream transport for a call made while serving this request (see passthrough/local.ts). */
  fetchFor: (c: Context) => FetchLike;
  /** Each call through, for the live capture. */
  onCall?: CallSink;
  /** The newest captured call (see HeaderList in passthrough/headers.ts). */
  previous?: () => NewestCall | undefined;
  /** Keeps a call exactly like the newest one (see ProxyOptions). */
  onRepeat?: (startedAt: number, durationMs: number) => void;
}

/** Node's request and response, when served by @hono/node-server (not in-process). */
const bindings = (c: Context) => c.env as Partial<HttpBindings> | undefined;

function withDataHeaders(res: Response): Response {
  for (const [name, value] of Object.entries(DATA_HEADERS)) res.headers.set(name, value);
  return res;
}

export function createPassthrough(config: ServerConfig, options: PassthroughOptions): Hono {
  const app = new Hono();

  const { onCall } = options;

  /** The debugger's own answer, recorded for the live capture (when capture is on). */
  const refuse = (
    c: Context,
    /** performance.now() when the request arrived; null: it is answered at once. */
    t0: number | null,
    status: number,
    kind: RefusalKind,
    error: string,
    description: string,
    extra: { reason?: string; read?: BodyTap | null; close?: boolean } = {},
  ) => {
    const answer = withDataHeaders(proxyError(status, error, description, extra.close));
    const upstream = onCall && capturedUpstream(config, c.req.path);
    if (onCall && upstream) {
      recordRefusal(onCall, c, {
        t0: t0 ?? performance.now(),
        upstream,
        refused: {
          kind,
          reason: extra.reason ?? `${description[0]!.toUpperCase()}${description.slice(1)}.`,
        },
        answer,
        answerBody: proxyErrorBody(error, description),
        body: extra.read,
      });
    }
    return answer;
  };

  const handle = async (c: Context, next: Next) => {
    const url = new URL(c.req.url);
    const target = passthroughTarget(config, url.pathname, url.search);
    if (!target) return next();
    const t0 = onCall ? performance.now() : null;
    const method = c.req.method;
    if (REFUSED_METHODS.has(method.toUpperCase())) {
      return refuse(c, t0, 405, 'method', 'invalid_request', `${method} is not passed on`, {
        reason: `${method} is a method the debugger never passes on (tracing echoes credentials, CONNECT opens tunnels).`,
      });
    }
    // A CORS preflight: this server grants cross-origin access to nobody (see guards.ts).
    if (method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
      return refuse(c, t0, 403, 'preflight', 'cors_refused', 'this server grants CORS to nobody', {
        reason:
          'A CORS preflight: the debugger grants cross-origin access to nobody, and PandaDoc grants none either.',
      });
    }
    const max = target.token ? TOKEN_MAX_BODY : PUBLIC_MAX_BODY;
    const body = await requestBody(c, max, target.token, onCall !== undefined);
    if (isTooLarge(body)) {
      const description = `request body larger than ${size(max)}`;
      const reason =
        body.announced === null
          ? `The body went over ${size(max)}: the debugger stopped reading it and sent nothing on.`
          : `The body announced ${body.announced.toLocaleString('en-US')} bytes (Content-Length), over the ${size(max)} limit: the debugger refused it unread and sent nothing on.`;
      return refuse(c, t0, 413, 'too_large', 'invalid_request', description, {
        reason,
        read: body.read,
        close: true,
      });
    }
    const res = await proxy(
      {
        environment: target.environment,
        url: target.url,
        method,
        headers: upstreamRequestHeaders(
          c.req.raw.headers,
          bindings(c)?.incoming?.rawHeaders,
          options.previous?.()?.request.headers,
        ),
        body,
        localPath: url.pathname + url.search,
        clientUrl: c.req.url,
        userAgent: c.req.header('user-agent') ?? null,
      },
      {
        fetch: options.fetchFor(c),
        timeoutMs: config.upstreamTimeoutMs,
        maxBody: max,
        onCall,
        previous: options.previous,
        onRepeat: options.onRepeat,
        breakClient: () => {
          const outgoing = bindings(c)?.outgoing;
          if (!outgoing) return false;
          outgoing.destroy();
          return true;
        },
      },
    );
    return withDataHeaders(res);
  };

  /** Any other path under the pass-through's prefixes: the debugger's own 404, recorded. */
  const notPassedOn = (c: Context) =>
    refuse(
      c,
      null,
      404,
      'not_found',
      'not_found',
      `${c.req.path} is not a path this debugger passes on (it passes /oauth2/access_token and every path under /public/, optionally after /us or /eu)`,
    );

  for (const base of ['', '/us', '/eu']) {
    app.all(`${base}/oauth2/access_token`, handle);
    app.all(`${base}/oauth2/access_token/`, handle);
    app.all(`${base}/public/*`, handle);
  }
  for (const path of ['/oauth2/*', '/public/*', '/us', '/us/*', '/eu', '/eu/*']) {
    app.all(path, notPassedOn);
  }
  return app;
}
