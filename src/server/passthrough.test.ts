/**
 * The pass-through to the built-in simulator, through the real server on a loopback port: served
 * in-process (no second connection), captured as the URL it would call, behind the same Host and
 * Origin guards as every other route.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServerApp } from './app.ts';
import { DEFAULT_SIM_CLIENT_ID, DEFAULT_SIM_CLIENT_SECRET, loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { NOT_FOUND_BODY } from './simulator/app.ts';
import { consentForm, freePort, rawExchange, rawStatus } from './test-helpers.ts';
import { range } from './capture/fixtures.ts';
import type { CaptureRing } from './capture/ring.ts';

let origin = '';
let port = 0;
let ring: CaptureRing;
let running: Awaited<ReturnType<typeof listen>>;
let requests = 0;

beforeAll(async () => {
  port = await freePort();
  const config = loadConfig({ PORT: String(port) });
  origin = config.origin;
  const server = createServerApp({ config, capture: { enabled: true } });
  ring = server.ring;
  running = await listen({ fetch: server.app.fetch, hostname: config.host, port });
  running.server.on('request', () => requests++);
});
afterAll(async () => {
  await running.close();
});
beforeEach(() => ring.clear());

/** A live access token, through the pass-through's token endpoint. */
async function accessToken(): Promise<string> {
  const q = new URLSearchParams({ client_id: DEFAULT_SIM_CLIENT_ID, response_type: 'code' });
  const page = await fetch(`${origin}/sim/oauth2/authorize?${q}`);
  const consent = await fetch(`${origin}/sim/oauth2/authorize`, {
    method: 'POST',
    body: consentForm(await page.text()),
    redirect: 'manual',
  });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  const res = await fetch(`${origin}/oauth2/access_token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEFAULT_SIM_CLIENT_ID,
      client_secret: DEFAULT_SIM_CLIENT_SECRET,
      code,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Sends `count` requests one after another on one kept-alive socket; resolves with the answers. */
function onOneSocket(request: string, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    let answers = 0;
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      const now = got.split('HTTP/1.1 ').length - 1;
      if (now > answers && /\r\n\r\n[\s\S]*\}$/.test(got)) {
        answers = now;
        if (answers === count) socket.end();
        else socket.write(request);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(request);
  });
}

describe('the simulator as upstream, in-process', () => {
  it('answers without a loopback request of its own', async () => {
    const token = await accessToken();
    const before = requests;
    const answers = await onOneSocket(
      `GET /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Authorization: Bearer ${token}\r\n\r\n`,
      3,
    );
    expect(answers.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(answers).toContain('"first_name":"Dana"');
    // Three requests reached the server, and nothing else: no second hop over HTTP.
    expect(requests - before).toBe(3);
  });

  it('is captured as the URL it would call, bodies and all', async () => {
    const token = await accessToken();
    const res = await fetch(`${origin}/public/v1/members/current?x=1`, {
      headers: { Authorization: `Bearer ${token}`, 'User-Agent': 'pandadoc-node-client/6.2.0' },
    });
    expect(res.status).toBe(200);
    // The consent page calls went to /sim directly: captured too, but not these two.
    const [exchange, member] = ring.list().filter((c) => !c.localPath.startsWith('/sim/'));
    expect(exchange).toMatchObject({
      upstream: 'simulator',
      localPath: '/oauth2/access_token',
      request: { method: 'POST', url: `${origin}/sim/oauth2/access_token` },
      response: { status: 200 },
      failure: null,
      requestBodyTruncated: false,
    });
    expect(exchange.request.body).toContain('grant_type=authorization_code');
    expect(JSON.parse(exchange.response!.body)).toMatchObject({ access_token: token });
    expect(member).toMatchObject({
      upstream: 'simulator',
      localPath: '/public/v1/members/current?x=1',
      userAgent: 'pandadoc-node-client/6.2.0',
      request: {
        method: 'GET',
        url: `${origin}/sim/public/v1/members/current?x=1`,
        body: null,
      },
      response: { status: 200, statusText: 'OK', truncated: false },
    });
    expect(member.request.headers).toContainEqual(['authorization', `Bearer ${token}`]);
    expect(JSON.parse(member.response!.body)).toMatchObject({ first_name: 'Dana' });
    expect(member.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records the same headers with one list, even for calls that differ otherwise', async () => {
    const token = await accessToken();
    const get = (path: string, auth: string) =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Authorization: ${auth}\r\nUser-Agent: bench\r\n\r\n`;
    await onOneSocket(get('/public/v1/members/current', `Bearer ${token}`), 2);
    await onOneSocket(get('/public/v1/members/current?x=2', `Bearer ${token}`), 1);
    await onOneSocket(get('/public/v1/members/current?x=2', 'Bearer nope'), 1);
    const [a, b, other, refused] = ring.list().filter((c) => c.localPath.startsWith('/public/'));
    // Like calls: one request (the ring's own sharing, capture/share.ts).
    expect(b!.request).toBe(a!.request);
    // Another URL: a request of its own, with the same header list.
    expect(other!.request).not.toBe(a!.request);
    expect(other!.request.headers).toBe(a!.request.headers);
    expect(a!.request.headers).toEqual([
      ['authorization', `Bearer ${token}`],
      ['user-agent', 'bench'],
    ]);
    // Another token: a list of its own.
    expect(refused!.request.headers).toEqual([
      ['authorization', 'Bearer nope'],
      ['user-agent', 'bench'],
    ]);
    // A 401 whose header pairs are the 200's has their list (the Date header may turn a second
    // between two calls: then its own).
    expect(refused!.response!.status).toBe(401);
    const before = other!.response!.headers;
    const same = JSON.stringify(refused!.response!.headers) === JSON.stringify(before);
    expect(refused!.response!.headers === before).toBe(same);
    expect(before).toContainEqual(['content-type', 'application/json']);
  });

  it('keeps a call exactly like the one before as a repeat, not built, and lists it whole', async () => {
    const token = await accessToken();
    const get = (userAgent: string) =>
      `GET /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Authorization: Bearer ${token}\r\nUser-Agent: ${userAgent}\r\n\r\n`;
    const add = vi.spyOn(ring, 'add');
    const repeat = vi.spyOn(ring, 'addRepeat');
    try {
      await onOneSocket(get('bench'), 5);
      // The first is built; the others repeat it (one more is built if the Date header turns a
      // second between two of them).
      expect(add.mock.calls.length + repeat.mock.calls.length).toBe(5);
      expect(repeat.mock.calls.length).toBeGreaterThanOrEqual(3);
      // Another User-Agent: built, and listed as its own.
      await onOneSocket(get('curl/8'), 1);
      expect(add.mock.calls.length + repeat.mock.calls.length).toBe(6);
      expect(repeat.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      add.mockRestore();
      repeat.mockRestore();
    }
    const calls = ring.list().filter((c) => c.localPath === '/public/v1/members/current');
    expect(calls.map((c) => c.userAgent)).toEqual([
      'bench',
      'bench',
      'bench',
      'bench',
      'bench',
      'curl/8',
    ]);
    expect(calls.map((c) => c.seq)).toEqual(range(calls[0]!.seq, calls[0]!.seq + 5));
    for (const [i, call] of calls.entries()) {
      expect(call).toMatchObject({
        upstream: 'simulator',
        request: { method: 'GET', url: `${origin}/sim/public/v1/members/current`, body: null },
        response: { status: 200, statusText: 'OK', truncated: false },
        failure: null,
        requestBodyTruncated: false,
      });
      expect(call.request.headers).toContainEqual(['authorization', `Bearer ${token}`]);
      expect(JSON.parse(call.response!.body)).toMatchObject({ first_name: 'Dana' });
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(call.startedAt).toBeGreaterThanOrEqual(calls[i - 1]!.startedAt);
    }
    expect(calls[5]!.request).not.toBe(calls[4]!.request);
  });

  it('captures direct /sim calls too, but not the app’s own /api calls or /sim/_control', async () => {
    await fetch(`${origin}/sim/public/v1/members/current`, { headers: { 'User-Agent': 'curl/8' } });
    await fetch(`${origin}/api/members/current`, {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', accessToken: 'a'.repeat(40) }),
      headers: { 'Content-Type': 'application/json' },
    });
    await fetch(`${origin}/sim/_control`);
    const calls = ring.list();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      upstream: 'simulator',
      localPath: '/sim/public/v1/members/current',
      userAgent: 'curl/8',
      request: { url: `${origin}/sim/public/v1/members/current` },
      response: { status: 401 },
    });
    expect(JSON.parse(calls[0].response!.body)).toMatchObject({ type: 'authentication_error' });
  });

  it('unknown API paths get PandaDoc’s 404 shape, through the pass-through or directly', async () => {
    for (const path of ['/public/v1/documents', '/sim/public/v2/nope', '/us/../public/x']) {
      const res = await fetch(`${origin}${path}`, { method: 'DELETE' });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual(NOT_FOUND_BODY);
    }
  });
});

describe('the same guards on every new route', () => {
  const paths = ['/us/public/v1/members/current', '/eu/oauth2/access_token', '/public/v1/x'];

  it.each(paths)('%s: a foreign Host gets 421, a foreign page 403, nothing sent', async (path) => {
    const raw = (extra: string) =>
      rawExchange(
        port,
        `POST ${path} HTTP/1.1\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`,
      );
    expect(rawStatus(await raw('Host: evil.example\r\n'))).toBe(421);
    expect(rawStatus(await raw(`Host: rebind.example:${port}\r\n`))).toBe(421);
    const foreign = `Host: 127.0.0.1:${port}\r\nOrigin: https://evil.example\r\n`;
    expect(rawStatus(await raw(foreign))).toBe(403);
    const crossSite = `Host: 127.0.0.1:${port}\r\nSec-Fetch-Site: cross-site\r\n`;
    expect(rawStatus(await raw(crossSite))).toBe(403);
    // Only the foreign page's refusals are captured, as the debugger's own answers.
    expect(ring.list().map((c) => [c.response?.status, c.refused?.kind])).toEqual([
      [403, 'cross_site'],
      [403, 'cross_site'],
    ]);
  });

  it('a CORS preflight is refused, never forwarded; TRACE and TRACK are not passed on', async () => {
    const preflight = await fetch(`${origin}/public/v1/members/current`, {
      method: 'OPTIONS',
      headers: { 'Access-Control-Request-Method': 'GET', Origin: origin },
    });
    expect(preflight.status).toBe(403);
    for (const method of ['TRACE', 'TRACK']) {
      const answer = await rawExchange(
        port,
        `${method} /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      // Node's parser itself refuses the unregistered TRACK (400).
      expect([400, 405], method).toContain(rawStatus(answer));
    }
    // Captured as the debugger's own answers (TRACK never reached the app).
    expect(ring.list().map((c) => [c.request.method, c.refused?.kind])).toEqual([
      ['OPTIONS', 'preflight'],
      ['TRACE', 'method'],
    ]);
  });
});
