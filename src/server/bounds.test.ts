/** Bounded request bodies (413) and bounded upstream time (504), with clear errors for upstream failures. */
import { describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { freePort, rawExchange, rawStatus } from './test-helpers.ts';
import type { TokenCallResult, UpstreamExchange } from '../lib/api/wire.ts';
import {
  ORIGIN,
  spyFetch,
  setup,
  JSON_HEADERS,
  FORM_HEADERS,
  tokenBody,
} from './securityHarness.ts';

describe('bounded request bodies', () => {
  const BIG = 'a='.padEnd(70 * 1024, 'x');

  /** A body without Content-Length: streamed, as Transfer-Encoding: chunked. */
  function chunked(text: string): RequestInit {
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    return { body: stream, duplex: 'half' } as RequestInit;
  }

  const POSTS: [string, string, Record<string, string>][] = [
    ['POST', '/api/token', JSON_HEADERS],
    ['POST', '/api/members/current', JSON_HEADERS],
    ['POST', '/oauth2/access_token', FORM_HEADERS],
    ['POST', '/sim/oauth2/access_token', FORM_HEADERS],
    ['POST', '/sim/oauth2/authorize', FORM_HEADERS],
    ['PUT', '/sim/_control', JSON_HEADERS],
    ['POST', '/sim/_control/advance-clock', JSON_HEADERS],
  ];

  it.each(POSTS)('%s %s: 413 with or without Content-Length', async (method, path, headers) => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    const sized = await call(path, { method, body: BIG, headers });
    expect(sized.status).toBe(413);
    expect(await sized.text()).toMatch(/large/i);
    const streamed = await call(path, { method, headers, ...chunked(BIG) });
    expect(streamed.status).toBe(413);
    expect(spy.urls).toEqual([]);
  });

  it('a chunked body over a real socket is cut off at the limit', async () => {
    const spy = spyFetch();
    const { app, simulator } = setup({ fetchImpl: spy.impl });
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    try {
      for (const path of ['/sim/oauth2/access_token', '/oauth2/access_token', '/api/token']) {
        const chunk = 'x'.repeat(16 * 1024);
        let request =
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n' +
          'Connection: close\r\n\r\n';
        for (let i = 0; i < 6; i++) request += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
        request += '0\r\n\r\n';
        expect(rawStatus(await rawExchange(running.port, request)), path).toBe(413);
      }
      const control = await rawExchange(
        running.port,
        `PUT /sim/_control HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${100 * 1024}\r\nConnection: close\r\n\r\n` +
          `{"fault":"html","x":"${'y'.repeat(1000)}`,
      );
      expect(rawStatus(control)).toBe(413);
      expect(simulator.settings.fault).toBe('none');
      expect(spy.urls).toEqual([]);
    } finally {
      await running.close();
    }
  });
});

describe('bounded upstream time and clear upstream failures', () => {
  /** A fetch that never answers; it gives up only when the server's timeout aborts it. */
  const hangingFetch = (async (_input: unknown, init?: RequestInit) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    })) as typeof fetch;

  it('a silent upstream gives a clear 504 within UPSTREAM_TIMEOUT_MS', async () => {
    const { call } = setup({ fetchImpl: hangingFetch, env: { UPSTREAM_TIMEOUT_MS: '150' } });
    const t0 = performance.now();
    const api = await call('/api/token', {
      method: 'POST',
      body: tokenBody,
      headers: JSON_HEADERS,
    });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(api.status).toBe(504);
    const body = (await api.json()) as TokenCallResult;
    expect(body.failure).toEqual({ kind: 'timeout', message: 'no complete answer within 150 ms' });
    expect(body.request.url).toBe(`${ORIGIN}/sim/oauth2/access_token`);
    const pass = await call('/public/v1/members/current', {
      headers: { Authorization: 'Bearer x' },
    });
    expect(pass.status).toBe(504);
    expect(await pass.json()).toEqual({
      error: 'upstream_timeout',
      error_description: 'PandaDoc debugger proxy: no complete answer within 150 ms',
    });
  });

  it('an upstream on a closed port gives a clear 502', async () => {
    const closed = await freePort();
    const { app } = createServerApp({ config: loadConfig({ PORT: String(closed) }) });
    const base = `http://127.0.0.1:${closed}`;
    const api = await app.request(`${base}/api/members/current`, {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', accessToken: 'x' }),
      headers: JSON_HEADERS,
    });
    expect(api.status).toBe(502);
    const body = (await api.json()) as UpstreamExchange;
    expect(body.failure).toEqual({
      kind: 'unreachable',
      message: 'connection refused: nothing is listening there',
    });
    expect(body.request.url).toBe(`${base}/sim/public/v1/members/current`);
    const pass = await app.request(`${base}/oauth2/access_token`, {
      method: 'POST',
      body: 'grant_type=refresh_token',
      headers: FORM_HEADERS,
    });
    expect(pass.status).toBe(502);
    expect(await pass.json()).toMatchObject({ error: 'upstream_unreachable' });
  });
});
