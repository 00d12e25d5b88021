import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServerConfig } from './config.ts';
import { forward } from './forward.ts';
import type { Header, UpstreamExchange } from '../lib/api/wire.ts';
import { UPSTREAM_PATHS, type UpstreamPath, upstreamUrl } from './upstreams.ts';

/**
 * PandaDoc-compatible paths on the app's own origin, forwarded to the default upstream, so any
 * PandaDoc client (the official SDK included) can use this server as its base URL.
 */

const PASSED_RESPONSE_HEADERS = [
  'content-type',
  'retry-after',
  'cache-control',
  'www-authenticate',
];

function reply(c: Context, exchange: UpstreamExchange): Response {
  const res = exchange.response;
  if (!res) {
    const timeout = exchange.failure?.kind === 'timeout';
    return c.json(
      {
        error: timeout ? 'upstream_timeout' : 'upstream_unreachable',
        error_description: `PandaDoc debugger proxy: ${exchange.failure?.message ?? 'no answer'}`,
      },
      timeout ? 504 : 502,
    );
  }
  const headers = new Headers();
  for (const [name, value] of res.headers) {
    if (PASSED_RESPONSE_HEADERS.includes(name.toLowerCase())) headers.set(name, value);
  }
  return new Response(res.body, { status: res.status, headers });
}

export function createPassthrough(config: ServerConfig, fetchImpl: typeof fetch = fetch): Hono {
  const app = new Hono();
  const call = (
    path: UpstreamPath,
    method: 'GET' | 'POST',
    headers: Header[],
    body: string | null,
  ) =>
    forward(
      { method, url: upstreamUrl(config, config.defaultUpstream, path), headers, body },
      config.upstreamTimeoutMs,
      fetchImpl,
    );

  const token = async (c: Context) => {
    const headers: Header[] = [['Accept', 'application/json']];
    const type = c.req.header('content-type');
    if (type) headers.push(['Content-Type', type]);
    // Basic is a valid way to authenticate the client; any other scheme (the SDK's API-Key
    // leftover) means nothing to the token endpoint and is not passed on.
    const auth = c.req.header('authorization');
    if (auth && /^basic /i.test(auth)) headers.push(['Authorization', auth]);
    return reply(c, await call(UPSTREAM_PATHS.token, 'POST', headers, await c.req.text()));
  };
  const limit = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => c.json({ error: 'invalid_request', error_description: 'Body too large.' }, 413),
  });
  app.post('/oauth2/access_token', limit, token);
  app.post('/oauth2/access_token/', limit, token);

  app.get('/public/v1/members/current', async (c) => {
    const headers: Header[] = [['Accept', 'application/json']];
    const auth = c.req.header('authorization');
    if (auth) headers.push(['Authorization', auth]);
    return reply(c, await call(UPSTREAM_PATHS.currentMember, 'GET', headers, null));
  });
  return app;
}
