/**
 * The app's API at its edges: input that can't be forwarded is the caller's error (400, named),
 * never an "unreachable" upstream; an oversized body closes its connection cleanly.
 */
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createApi, headerValueProblem } from './api.ts';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { freePort } from './test-helpers.ts';
import type { ApiErrorBody } from '../lib/api/wire.ts';

const config = loadConfig({});

/**
 * The API with a fetch that checks its request as the runtime's fetch does (building the Request
 * is what refused such tokens, as an "unreachable" 502), records it, and answers locally.
 */
function api() {
  const sent: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    sent.push(req.url);
    return Response.json({ email: 'demo@example.com' });
  }) as typeof fetch;
  const app = createApi(config, fetchImpl);
  const member = (accessToken: unknown) =>
    app.request('/members/current', {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', accessToken }),
      headers: { 'Content-Type': 'application/json' },
    });
  return { sent, member };
}

describe('accessToken that no HTTP header can carry', () => {
  it.each([
    ['a line feed', 'abc\ndef', /control character \(U\+000A at position 4\)/],
    ['a NUL', 'abc\u0000', /control character \(U\+0000 at position 4\)/],
    ['DEL', '\u007fabc', /control character \(U\+007F at position 1\)/],
    ['a euro sign', 'abc€', /outside Latin-1 \(U\+20AC at position 4\)/],
    ['an emoji', 'tok😀', /outside Latin-1 \(U\+D83D at position 4\)/],
    ['a line separator', 'a\u2028b', /outside Latin-1 \(U\+2028 at position 2\)/],
  ])('%s: 400 naming the character, nothing sent', async (_name, token, message) => {
    const { sent, member } = api();
    const res = await member(token);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/^accessToken contains /);
    expect(body.error.message).toMatch(message);
    expect(sent).toEqual([]);
  });

  it('spaces are named as such', async () => {
    const res = await api().member('abc def');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorBody).error.message).toMatch(/without spaces/);
  });

  it('Latin-1 characters can travel, so they are sent (the upstream judges them)', async () => {
    const { sent, member } = api();
    const res = await member('tok\u00e9n');
    expect(res.status).toBe(200);
    expect(sent).toHaveLength(1);
  });

  it('headerValueProblem: undefined for what a header carries', () => {
    expect(headerValueProblem('x', '0123456789abcdef~!@#$%^&*()_+-=[]{}|;:,.<>/?ÿ')).toBe(
      undefined,
    );
  });
});

describe('an oversized body on a kept-alive connection', () => {
  it("413 says Connection: close, and a pooled client's next request just works", async () => {
    const cfg = loadConfig({ PORT: String(await freePort()) });
    const { app } = createServerApp({ config: cfg });
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: cfg.port });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port: running.port,
            path: '/api/members/current',
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const big = await send(JSON.stringify({ pad: 'x'.repeat(100 * 1024) }));
      expect(big).toEqual({ status: 413, connection: 'close' });
      for (let i = 0; i < 3; i++) {
        const next = await send(JSON.stringify({ environment: 'simulator', accessToken: 'a\nb' }));
        expect(next.status).toBe(400);
      }
    } finally {
      agent.destroy();
      await running.close();
    }
  });
});
