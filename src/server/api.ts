import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EnvironmentId, ServerConfig } from './config.ts';
import { forward } from './forward.ts';
import {
  REDACTED,
  type ApiErrorBody,
  type Header,
  type SecretSource,
  type TokenCallResult,
  type UpstreamExchange,
} from '../lib/api/wire.ts';
import { UPSTREAM_PATHS, upstreamUrl } from './upstreams.ts';

/** The app's own API, used by the browser UI: it forwards the calls a browser cannot make. */

const TOKEN_FIELDS = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'code',
  'refresh_token',
  'scope',
  'redirect_uri',
]);
const ENVIRONMENTS: readonly EnvironmentId[] = ['simulator', 'us', 'eu'];

function isEnvironment(value: unknown): value is EnvironmentId {
  return typeof value === 'string' && (ENVIRONMENTS as readonly string[]).includes(value);
}

function isFieldList(value: unknown): value is Header[] {
  return (
    Array.isArray(value) &&
    value.length <= 16 &&
    value.every(
      (f) =>
        Array.isArray(f) &&
        f.length === 2 &&
        typeof f[0] === 'string' &&
        typeof f[1] === 'string' &&
        TOKEN_FIELDS.has(f[0]) &&
        f[1].length <= 4096,
    )
  );
}

/**
 * Why `value` can't travel as an HTTP header value, or undefined if it can. Fetch refuses control
 * characters and anything above U+00FF before sending: that is the caller's input, not an
 * unreachable upstream, so it is named here, with the character and where it is.
 */
export function headerValueProblem(name: string, value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const at = `U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${i + 1}`;
    if (code < 0x20 || code === 0x7f) {
      return `${name} contains a control character (${at}); it is sent in an HTTP header, which cannot carry one.`;
    }
    if (code > 0xff) {
      return `${name} contains a character outside Latin-1 (${at}); an HTTP header carries only bytes. Check what was pasted.`;
    }
  }
  return undefined;
}

function apiError(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** Upstream trouble is an answer too: the envelope says what happened, the status says who failed. */
function statusFor(exchange: UpstreamExchange): 200 | 502 | 504 {
  if (exchange.failure?.kind === 'timeout') return 504;
  if (exchange.failure) return 502;
  return 200;
}

async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

export function createApi(config: ServerConfig, fetchImpl: typeof fetch = fetch): Hono {
  const api = new Hono();
  api.use(
    bodyLimit({
      maxSize: 64 * 1024,
      // The client may still be sending the rest of the body: close, so a pooled client does not
      // write its next request into a connection that is about to go.
      onError: (c) =>
        c.json(apiError('too_large', 'Request body larger than 64 KiB.'), 413, {
          Connection: 'close',
        }),
    }),
  );

  api.get('/config', (c) =>
    c.json({
      origin: config.origin,
      defaultUpstream: config.defaultUpstream,
      serverSecrets: Object.fromEntries(
        ENVIRONMENTS.map((e) => [e, Boolean(config.serverSecrets[e])]),
      ),
      simulator: { clientId: config.simulator.clientId, redirectUri: config.simulator.redirectUri },
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      registeredRedirectUris: config.registeredRedirectUris,
    }),
  );

  api.post('/token', async (c) => {
    const input = (await readJson(c.req.raw)) as
      { environment?: unknown; fields?: unknown } | undefined;
    if (!input || !isEnvironment(input.environment)) {
      return c.json(
        apiError(
          'bad_request',
          'Expected JSON {environment, fields}; environment must be simulator, us or eu.',
        ),
        400,
      );
    }
    if (!isFieldList(input.fields)) {
      return c.json(
        apiError(
          'bad_request',
          `fields must be [name, value] pairs of: ${[...TOKEN_FIELDS].join(', ')}.`,
        ),
        400,
      );
    }
    const fields = input.fields.map(([k, v]): Header => [k, v]);
    const typed = fields.find(([k]) => k === 'client_secret');
    const held = config.serverSecrets[input.environment];
    let secretSource: SecretSource = typed && typed[1] ? 'browser' : 'none';
    if (!typed?.[1] && held) {
      secretSource = 'server';
      if (typed) typed[1] = held;
      else fields.splice(2, 0, ['client_secret', held]);
    }
    // 'json' exists for the failure drill: it sends what a common broken client sends.
    const json = (input as { format?: unknown }).format === 'json';
    const encode = (pairs: Header[]) =>
      json ? JSON.stringify(Object.fromEntries(pairs)) : new URLSearchParams(pairs).toString();
    const exchange = await forward(
      {
        method: 'POST',
        url: upstreamUrl(config, input.environment, UPSTREAM_PATHS.token),
        headers: [
          ['Content-Type', json ? 'application/json' : 'application/x-www-form-urlencoded'],
          ['Accept', 'application/json'],
        ],
        body: encode(fields),
      },
      config.upstreamTimeoutMs,
      fetchImpl,
    );
    // The browser never gets a secret back, least of all one the server holds.
    const shown = encode(
      fields.map(([k, v]): Header => [k, k === 'client_secret' && v ? REDACTED : v]),
    );
    const result: TokenCallResult = {
      ...exchange,
      request: { ...exchange.request, body: shown },
      secretSource,
    };
    return c.json(result, statusFor(exchange));
  });

  api.post('/members/current', async (c) => {
    const input = (await readJson(c.req.raw)) as
      { environment?: unknown; accessToken?: unknown } | undefined;
    if (!input || !isEnvironment(input.environment)) {
      return c.json(apiError('bad_request', 'Expected JSON {environment, accessToken}.'), 400);
    }
    const token = input.accessToken;
    if (typeof token !== 'string' || !token || token.length > 4096 || /[ \t\u00a0]/.test(token)) {
      return c.json(
        apiError(
          'bad_request',
          'accessToken must be a non-empty string without spaces, at most 4096 characters.',
        ),
        400,
      );
    }
    const problem = headerValueProblem('accessToken', token);
    if (problem) return c.json(apiError('bad_request', problem), 400);
    const exchange = await forward(
      {
        method: 'GET',
        url: upstreamUrl(config, input.environment, UPSTREAM_PATHS.currentMember),
        headers: [
          ['Authorization', `Bearer ${token}`],
          ['Accept', 'application/json'],
        ],
        body: null,
      },
      config.upstreamTimeoutMs,
      fetchImpl,
    );
    return c.json(exchange, statusFor(exchange));
  });

  api.all('*', (c) =>
    c.json(apiError('not_found', `No API endpoint ${c.req.method} ${c.req.path}.`), 404),
  );
  return api;
}
