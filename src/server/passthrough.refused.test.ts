/**
 * Calls the debugger answers itself on the pass-through's paths are captured too, marked as its
 * own answer: a method it never passes on, a CORS preflight, a body over the limit (announced or
 * found while reading), a path it does not pass on, a page on another site. Never a foreign Host.
 * Each is a real request to the real server on a loopback port.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CAPTURE_BODY_LIMIT, type CapturedCall } from '../lib/api/traffic.ts';
import { createServerApp } from './app.ts';
import type { CaptureRing } from './capture/ring.ts';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { MAX_CROSS_SITE_REFUSALS } from './passthrough/refusal.ts';
import { freePort, rawExchange, rawStatus } from './test-helpers.ts';

let origin = '';
let port = 0;
let ring: CaptureRing;
let running: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  port = await freePort();
  const config = loadConfig({ PORT: String(port) });
  origin = config.origin;
  const server = createServerApp({ config, capture: { enabled: true } });
  ring = server.ring;
  running = await listen({ fetch: server.app.fetch, hostname: config.host, port });
});
afterAll(async () => {
  await running.close();
});
beforeEach(() => ring.clear());

/** The only call in the ring, checked to be the debugger's own answer and never PandaDoc's. */
function onlyRefusal(): CapturedCall {
  const calls = ring.list();
  expect(calls).toHaveLength(1);
  const call = calls[0]!;
  expect(call.refused).toBeDefined();
  expect(call.failure).toBeNull();
  // The URL the client called, not an upstream one: nothing went upstream.
  expect(call.request.url.startsWith(`${origin}/`)).toBe(true);
  return call;
}

const raw = (head: string, body = '') =>
  rawExchange(port, `${head}Host: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n${body}`);

describe('the debugger’s own answers are captured, marked as its own', () => {
  it('TRACE: 405, with the debugger’s OAuth-form body', async () => {
    const answer = await raw('TRACE /eu/oauth2/access_token HTTP/1.1\r\n');
    expect(rawStatus(answer)).toBe(405);
    const call = onlyRefusal();
    expect(call).toMatchObject({
      upstream: 'eu',
      localPath: '/eu/oauth2/access_token',
      request: { method: 'TRACE', url: `${origin}/eu/oauth2/access_token`, body: null },
      response: { status: 405, statusText: 'Method Not Allowed' },
      refused: { kind: 'method' },
    });
    expect(JSON.parse(call.response!.body)).toEqual({
      error: 'invalid_request',
      error_description: 'PandaDoc debugger proxy: TRACE is not passed on',
    });
    expect(call.refused!.reason).toMatch(/^TRACE is a method the debugger never passes on/);
  });

  it('a CORS preflight from a non-browser client: 403, as a preflight', async () => {
    const res = await fetch(`${origin}/public/v1/members/current`, {
      method: 'OPTIONS',
      headers: { 'Access-Control-Request-Method': 'GET', 'User-Agent': 'probe/1' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(onlyRefusal()).toMatchObject({
      userAgent: 'probe/1',
      request: { method: 'OPTIONS' },
      response: { status: 403 },
      refused: { kind: 'preflight' },
    });
  });

  it('a token body over 64 KiB without a length: 413, its first 64 KiB kept', async () => {
    const body = `grant_type=authorization_code&code=abc&pad=${'x'.repeat(70 * 1024)}`;
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // Two chunks, so the limit is crossed while reading.
        controller.enqueue(bytes.subarray(0, 40 * 1024));
        controller.enqueue(bytes.subarray(40 * 1024));
        controller.close();
      },
    });
    const before = Date.now();
    const res = await fetch(`${origin}/oauth2/access_token`, {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    const call = onlyRefusal();
    expect(call).toMatchObject({
      localPath: '/oauth2/access_token',
      request: { method: 'POST' },
      response: { status: 413 },
      requestBodyTruncated: true,
      refused: { kind: 'too_large' },
    });
    expect(call.request.body).toBe(body.slice(0, CAPTURE_BODY_LIMIT));
    // Timed from the request's arrival to the refusal.
    expect(call.startedAt).toBeGreaterThanOrEqual(before - 1);
    expect(call.startedAt + call.durationMs).toBeLessThanOrEqual(Date.now() + 1);
    expect(call.durationMs).toBeGreaterThanOrEqual(0);
    expect(call.refused!.reason).toMatch(/stopped reading it and sent nothing on/);
  });

  it('a token body announced over 64 KiB: 413 at once, refused unread', async () => {
    const answer = await raw(
      'POST /oauth2/access_token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${70 * 1024}\r\n`,
    );
    expect(rawStatus(answer)).toBe(413);
    const call = onlyRefusal();
    expect(call).toMatchObject({
      request: { method: 'POST', body: null },
      response: { status: 413 },
      requestBodyTruncated: true,
      refused: { kind: 'too_large' },
    });
    expect(call.refused!.reason).toContain('announced 71,680 bytes (Content-Length)');
  });

  it('an upload announced over 100 MB: 413 at once, refused unread', async () => {
    const answer = await raw(
      `PUT /us/public/upload HTTP/1.1\r\nContent-Length: ${100 * 2 ** 20 + 1}\r\n`,
    );
    expect(rawStatus(answer)).toBe(413);
    expect(onlyRefusal()).toMatchObject({
      upstream: 'us',
      localPath: '/us/public/upload',
      request: { method: 'PUT', body: null },
      refused: { kind: 'too_large' },
    });
  });

  it('a path the debugger does not pass on: its own 404, captured with the query', async () => {
    const res = await fetch(`${origin}/us/oauth2/token?x=1`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: 'not_found',
      error_description: expect.stringContaining('/us/oauth2/token is not a path'),
    });
    expect(onlyRefusal()).toMatchObject({
      upstream: 'us',
      localPath: '/us/oauth2/token?x=1',
      response: { status: 404 },
      refused: { kind: 'not_found' },
    });
  });

  it('a page on another site: 403, with its Origin, its body unread', async () => {
    const res = await fetch(`${origin}/oauth2/access_token`, {
      method: 'POST',
      body: 'grant_type=authorization_code&code=abc',
      headers: {
        Origin: 'http://localhost:3000',
        'Sec-Fetch-Site': 'same-site',
        // The page's own app's session: cookies ignore ports, so the browser sends it here too.
        Cookie: 'session=their-app-secret',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
    expect(res.status).toBe(403);
    const call = onlyRefusal();
    expect(call).toMatchObject({
      localPath: '/oauth2/access_token',
      request: { method: 'POST', body: null },
      response: { status: 403 },
      requestBodyTruncated: true,
      refused: { kind: 'cross_site' },
    });
    expect(call.refused!.reason).toContain('"http://localhost:3000"');
    expect(call.request.headers).toContainEqual(['origin', 'http://localhost:3000']);
    expect(JSON.stringify(call)).not.toContain('their-app-secret');
    // The simulator's own mount too; the app's API and pages are not captured.
    await fetch(`${origin}/sim/oauth2/access_token`, {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    await fetch(`${origin}/api/token`, { method: 'POST', headers: { Origin: 'https://x.test' } });
    expect(ring.list().map((c) => [c.upstream, c.localPath])).toEqual([
      ['simulator', '/oauth2/access_token'],
      ['simulator', '/sim/oauth2/access_token'],
    ]);
  });

  it('a foreign Host (DNS rebinding) is refused and never recorded', async () => {
    for (const host of ['evil.example', `rebind.example:${port}`]) {
      const answer = await rawExchange(
        port,
        `POST /oauth2/access_token HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\n` +
          'Content-Length: 0\r\nConnection: close\r\n\r\n',
      );
      expect(rawStatus(answer)).toBe(421);
    }
    expect(ring.list()).toEqual([]);
  });
});

describe('with capture off', () => {
  it('the same answers, and nothing kept', async () => {
    const p = await freePort();
    const config = loadConfig({ PORT: String(p) });
    const off = createServerApp({ config, capture: { enabled: false } });
    const server = await listen({ fetch: off.app.fetch, hostname: config.host, port: p });
    try {
      const at = `http://127.0.0.1:${p}`;
      expect((await fetch(`${at}/oauth2/nope`)).status).toBe(404);
      const big = await fetch(`${at}/oauth2/access_token`, {
        method: 'POST',
        body: 'x'.repeat(70 * 1024),
      });
      expect(big.status).toBe(413);
      const crossSite = await fetch(`${at}/public/v1/x`, { headers: { Origin: 'https://x.test' } });
      expect(crossSite.status).toBe(403);
      expect(off.ring.list()).toEqual([]);
      expect(off.ring.lastSeq).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('an upload that goes over the limit while it streams', () => {
  it('is a 413 of the debugger’s, its first 64 KiB kept; the upstream never answered', async () => {
    const { proxy } = await import('./passthrough/proxy.ts');
    const seen: Omit<CapturedCall, 'seq'>[] = [];
    let upstreamGot = 0;
    const chunk = new Uint8Array(48 * 1024).fill(65);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 5) return controller.close();
        controller.enqueue(chunk);
      },
    });
    const res = await proxy(
      {
        environment: 'us',
        url: 'https://api.pandadoc.com/public/v1/documents',
        method: 'POST',
        headers: [['content-type', 'application/pdf']],
        body,
        localPath: '/us/public/v1/documents',
        clientUrl: `${origin}/us/public/v1/documents`,
        userAgent: 'curl/8.5.0',
      },
      {
        // An upstream that reads the upload as it comes.
        fetch: async (_url, init) => {
          for await (const part of init!.body as unknown as AsyncIterable<Uint8Array>) {
            upstreamGot += part.byteLength;
          }
          return new Response('{}', { status: 201 });
        },
        timeoutMs: 5000,
        maxBody: 100 * 1024,
        onCall: (call) => seen.push(call),
      },
    );
    expect(res.status).toBe(413);
    expect(upstreamGot).toBeLessThanOrEqual(100 * 1024);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      upstream: 'us',
      localPath: '/us/public/v1/documents',
      request: { method: 'POST', url: `${origin}/us/public/v1/documents` },
      response: { status: 413 },
      failure: null,
      requestBodyTruncated: true,
      refused: { kind: 'too_large' },
    });
    expect(seen[0]!.request.body).toBe('A'.repeat(CAPTURE_BODY_LIMIT));
    expect(JSON.parse(seen[0]!.response!.body).error_description).toMatch(
      /^PandaDoc debugger proxy/,
    );
  });
});

describe('a page on another site cannot flood the capture', () => {
  it(`holds at most ${MAX_CROSS_SITE_REFUSALS} of its refusals; the developer’s calls stay; Clear makes room`, async () => {
    const { app, ring } = createServerApp({
      config: loadConfig({}),
      capture: { enabled: true, maxCalls: 50 },
    });
    const send = (path: string, headers: Record<string, string> = {}) =>
      app.fetch(new Request(`http://127.0.0.1:5173${path}`, { method: 'POST', headers }));
    // The developer's own calls (answered by the debugger too, so nothing leaves the machine).
    for (let i = 0; i < 5; i++) expect((await send(`/oauth2/mine-${i}`)).status).toBe(404);
    for (let i = 0; i < 200; i++) {
      const res = await send(`/oauth2/access_token?i=${i}`, { Origin: 'https://evil.example' });
      expect(res.status).toBe(403);
    }
    const kinds = (calls: CapturedCall[]) => calls.map((c) => c.refused?.kind);
    expect(kinds(ring.list())).toEqual([
      ...Array<string>(5).fill('not_found'),
      ...Array<string>(MAX_CROSS_SITE_REFUSALS).fill('cross_site'),
    ]);
    // The first ones are kept: the page's later requests were answered, not recorded.
    expect(ring.list().at(-1)?.localPath).toBe(
      `/oauth2/access_token?i=${MAX_CROSS_SITE_REFUSALS - 1}`,
    );
    // Once the developer's calls have pushed the old refusals out, new ones are kept again.
    for (let i = 0; i < 50; i++) await send(`/oauth2/mine-${i}`);
    await send('/oauth2/access_token?late', { Origin: 'https://evil.example' });
    expect(ring.list().at(-1)?.localPath).toBe('/oauth2/access_token?late');
    // And after a Clear.
    for (let i = 0; i < 30; i++) await send('/oauth2/access_token', { Origin: 'https://x.test' });
    ring.clear();
    await send('/oauth2/access_token?after-clear', { Origin: 'https://x.test' });
    expect(ring.list().map((c) => c.localPath)).toEqual(['/oauth2/access_token?after-clear']);
  });
});
