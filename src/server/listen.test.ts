/**
 * The server under load and under bad manners, on loopback with bounded loops: a refused body does
 * not poison a pooled connection, 500 clients at once all get answers, and a slow upstream or a
 * client that stops reading holds up nobody else.
 */
import http from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { freePort } from './test-helpers.ts';

let port = 0;
let running: Awaited<ReturnType<typeof listen>>;
/** The server as `npm start` runs it: the simulator in-process. */
let plainPort = 0;
let plain: Awaited<ReturnType<typeof listen>>;
let fake: http.Server;
/** Requests the stand-in upstream is holding without an answer. */
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  // A stand-in for api.pandadoc.com: /public/slow never answers, /public/huge is 32 MB.
  fake = http.createServer((req, res) => {
    if (req.url === '/public/slow') return void held.push(res);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(Buffer.alloc(32 * 1024 * 1024, 1));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const fakeOrigin = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  port = await freePort();
  const config = loadConfig({ PORT: String(port), UPSTREAM_TIMEOUT_MS: '8000' });
  const { app } = createServerApp({
    config,
    capture: { enabled: true },
    fetchImpl: ((input: string | URL | Request, init?: RequestInit) =>
      fetch(String(input).replace('https://api.pandadoc.com', fakeOrigin), init)) as typeof fetch,
  });
  running = await listen({ fetch: app.fetch, hostname: config.host, port });
  plainPort = await freePort();
  const plainConfig = loadConfig({ PORT: String(plainPort) });
  const served = createServerApp({ config: plainConfig, capture: { enabled: true } });
  plain = await listen({ fetch: served.app.fetch, hostname: plainConfig.host, port: plainPort });
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await running.close();
  await plain.close();
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

/** One request on a kept-alive agent; resolves with status and Connection, or the error. */
function request(agent: http.Agent, method: string, path: string, body?: Buffer, pauseMs = 0) {
  return new Promise<string>((resolve) => {
    const req = http.request(
      {
        agent,
        port,
        host: '127.0.0.1',
        method,
        path,
        headers: body ? { 'Content-Length': body.length } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(`${res.statusCode} ${res.headers.connection}`));
      },
    );
    req.on('error', (error) => resolve(`error ${error.message}`));
    if (!body) return void req.end();
    req.write(body.subarray(0, 1024));
    setTimeout(() => req.end(body.subarray(1024)), pauseMs);
  });
}

describe('a refused body and a pooled connection', () => {
  it.each([
    ['/oauth2/access_token', 0],
    ['/us/oauth2/access_token', 900],
    ['/sim/oauth2/access_token', 0],
    ['/sim/oauth2/access_token', 900],
    ['/api/token', 0],
  ])(
    '%s (body paused %i ms): 413 says Connection: close; the pool’s next request works',
    async (path, pauseMs) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const refused = await request(agent, 'POST', path, Buffer.alloc(200 * 1024, 97), pauseMs);
        expect(refused).toBe('413 close');
        expect(await request(agent, 'GET', '/api/config')).toBe('200 keep-alive');
        expect(await request(agent, 'GET', '/api/config')).toBe('200 keep-alive');
      } finally {
        agent.destroy();
      }
    },
  );
});

/** Opens `n` connections at once, each sending `raw`; resolves with each one's status (0: none). */
function burst(n: number, raw: string, withinMs: number, to = port): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<number>((resolve) => {
          const socket: Socket = connect(to, '127.0.0.1');
          const timer = setTimeout(() => socket.destroy(), withinMs);
          let got = '';
          socket.on('data', (chunk: Buffer) => {
            got += chunk.toString('latin1');
            if (got.includes('\r\n\r\n')) socket.destroy();
          });
          socket.on('error', () => undefined);
          socket.on('close', () => {
            clearTimeout(timer);
            resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0));
          });
          socket.write(raw);
        }),
    ),
  );
}

describe('under load', () => {
  it('500 clients at once through the pass-through: every one gets an answer', async () => {
    const statuses = await burst(
      500,
      `GET /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${plainPort}\r\n\r\n`,
      10_000,
      plainPort,
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(500);
  }, 20_000);

  it('a slow upstream holds up nobody else', async () => {
    const slow = burst(50, `GET /us/public/slow HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, 6000);
    await expect.poll(() => held.length, { timeout: 5000 }).toBe(50);
    const t0 = performance.now();
    const quick = await burst(
      50,
      `GET /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      5000,
    );
    expect(quick.every((s) => s === 401)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(3000);
    for (const res of held.splice(0)) res.end('{}');
    expect((await slow).every((s) => s === 200)).toBe(true);
  }, 20_000);

  it('a client that stops reading a large answer holds up nobody else', async () => {
    const stalled = connect(port, '127.0.0.1');
    stalled.write(`GET /us/public/huge HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    stalled.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const t0 = performance.now();
    const quick = await burst(
      20,
      `GET /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      5000,
    );
    expect(quick.every((s) => s === 401)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(3000);
    stalled.destroy();
  }, 20_000);
});
