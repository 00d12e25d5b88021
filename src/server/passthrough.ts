import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServerConfig } from './config.ts';
import { DATA_HEADERS } from './guards.ts';
import { upstreamRequestHeaders } from './passthrough/headers.ts';
import type { FetchLike } from './passthrough/local.ts';
import { proxy, proxyError, size, type CallSink } from './passthrough/proxy.ts';
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
/** A body announced at most this big is read whole before it is sent on (cheaper than a stream). */
const READ_WHOLE_BYTES = 64 * 1024;

/** Methods no proxy should pass: tracing echoes credentials, CONNECT opens tunnels. */
const REFUSED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export interface PassthroughOptions {
  /** The upstream transport for a call made while serving this request (see passthrough/local.ts). */
  fetchFor: (c: Context) => FetchLike;
  /** Each call through, for the live capture. */
  onCall?: CallSink;
}

/** Node's request and response, when served by @hono/node-server (not in-process). */
const bindings = (c: Context) => c.env as Partial<HttpBindings> | undefined;

function withDataHeaders(res: Response): Response {
  for (const [name, value] of Object.entries(DATA_HEADERS)) res.headers.set(name, value);
  return res;
}

/** The request body as it should go upstream: none, read whole, or streamed. */
async function requestBody(c: Context, max: number, token: boolean) {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return null;
  const length = c.req.header('content-length');
  if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
    const size = Number(length);
    if (size === 0) return null;
    if (size > max) return 'too large' as const;
    if (size <= READ_WHOLE_BYTES) return new Uint8Array(await c.req.arrayBuffer());
    return c.req.raw.body;
  }
  // No length announced: a chunked body, or a Request built in-process. The token endpoint's
  // is already read (and capped) by its body limit.
  const body = c.req.raw.body;
  if (!body) return null;
  return token ? new Uint8Array(await c.req.arrayBuffer()) : body;
}

export function createPassthrough(config: ServerConfig, options: PassthroughOptions): Hono {
  const app = new Hono();

  const handle = async (c: Context, next: Next) => {
    const url = new URL(c.req.url);
    const target = passthroughTarget(config, url.pathname, url.search);
    if (!target) return next();
    const method = c.req.method;
    if (REFUSED_METHODS.has(method.toUpperCase())) {
      return withDataHeaders(proxyError(405, 'invalid_request', `${method} is not passed on`));
    }
    // A CORS preflight: this server grants cross-origin access to nobody (see guards.ts).
    if (method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
      return c.text('This server grants CORS to nobody.', 403);
    }
    const max = target.token ? TOKEN_MAX_BODY : PUBLIC_MAX_BODY;
    const body = await requestBody(c, max, target.token);
    if (body === 'too large') {
      return withDataHeaders(
        proxyError(413, 'invalid_request', `request body larger than ${size(max)}`, true),
      );
    }
    const res = await proxy(
      {
        environment: target.environment,
        url: target.url,
        method,
        headers: upstreamRequestHeaders(c.req.raw.headers, bindings(c)?.incoming?.rawHeaders),
        body,
        localPath: url.pathname + url.search,
        userAgent: c.req.header('user-agent') ?? null,
      },
      {
        fetch: options.fetchFor(c),
        timeoutMs: config.upstreamTimeoutMs,
        maxBody: max,
        onCall: options.onCall,
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

  // The token endpoint keeps its 64 KiB cap whether or not the body announces its length.
  const tokenLimit = bodyLimit({
    maxSize: TOKEN_MAX_BODY,
    onError: () =>
      withDataHeaders(
        proxyError(413, 'invalid_request', `body larger than ${size(TOKEN_MAX_BODY)}`, true),
      ),
  });
  for (const base of ['', '/us', '/eu']) {
    app.all(`${base}/oauth2/access_token`, tokenLimit, handle);
    app.all(`${base}/oauth2/access_token/`, tokenLimit, handle);
    app.all(`${base}/public/*`, handle);
  }
  return app;
}
