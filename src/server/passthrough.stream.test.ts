/**
 * The pass-through to a real (network) upstream: a stand-in for api.pandadoc.com on a loopback
 * port, reached through the server's real fetch path. Bodies stream both ways, only 64 KiB of each
 * is captured, hop-by-hop headers stop at the proxy, redirects come back unfollowed, and an answer
 * that breaks off never looks whole.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CAPTURE_BODY_LIMIT } from '../lib/api/traffic.ts';
import { createServerApp } from './app.ts';
import type { CaptureRing } from './capture/ring.ts';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { freePort, rawExchange, rawStatus } from './test-helpers.ts';

const MB = 1024 * 1024;
let origin = '';
let port = 0;
let ring: CaptureRing;
let running: Awaited<ReturnType<typeof listen>>;
let fake: Server;
let fakeOrigin = '';
/** What the stand-in received: one entry per request. */
let seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
/** Resolved when the stand-in has the first bytes of an upload. */
let firstBytes: () => void = () => undefined;

function fakePandaDoc(req: IncomingMessage, res: ServerResponse) {
  seen.push({ method: req.method!, url: req.url!, headers: req.headers });
  const path = req.url!.split('?')[0];
  if (path === '/public/upload') {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size === 0) firstBytes();
      size += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ size, sha256: hash.digest('hex') }));
    });
    return;
  }
  if (path === '/public/echo') {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      Connection: 'keep-alive, x-hop',
      'X-Hop': 'per-connection',
      'Keep-Alive': 'timeout=5',
      'X-End-To-End': 'kept',
    });
    res.end(JSON.stringify({ ok: true }));
    return;
  }
  if (path === '/public/redirect') {
    res.writeHead(302, { Location: 'https://api.pandadoc.com/public/elsewhere' });
    res.end();
    return;
  }
  if (path === '/public/big' || path === '/public/cut') {
    const body = Buffer.alloc(MB, 'a');
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(MB) });
    if (path === '/public/big') {
      res.end(body);
      return;
    }
    res.write(body.subarray(0, 200 * 1024), () => setTimeout(() => res.destroy(), 20));
    return;
  }
  if (path === '/public/gzip') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify({ zipped: 'x'.repeat(1000) })));
    return;
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  fake = createServer(fakePandaDoc);
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeOrigin = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  port = await freePort();
  const config = loadConfig({ PORT: String(port), UPSTREAM_TIMEOUT_MS: '2000' });
  origin = config.origin;
  // The real fetch, with PandaDoc's US host pointed at the stand-in: nothing leaves the machine.
  const toFake = ((input: string | URL | Request, init?: RequestInit) =>
    fetch(String(input).replace('https://api.pandadoc.com', fakeOrigin), init)) as typeof fetch;
  const server = createServerApp({ config, fetchImpl: toFake, capture: { enabled: true } });
  ring = server.ring;
  running = await listen({ fetch: server.app.fetch, hostname: config.host, port });
});
afterAll(async () => {
  await running.close();
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});
beforeEach(() => {
  seen = [];
  ring.clear();
});

describe('headers and redirects', () => {
  it('passes the query and end-to-end headers; hop-by-hop and steering headers stop here', async () => {
    const answer = await rawExchange(
      port,
      `GET /us/public/echo?a=1&b=%2F HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'Authorization: Bearer t0k\r\nAccept: application/json\r\nUser-Agent: sdk/1\r\n' +
        'Connection: close, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: timeout=9\r\nTE: trailers\r\n' +
        'Proxy-Authorization: Basic eA==\r\nX-Forwarded-Host: evil.example\r\nCookie: a=b\r\n\r\n',
    );
    expect(rawStatus(answer)).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/public/echo?a=1&b=%2F');
    expect(seen[0].headers).toMatchObject({
      authorization: 'Bearer t0k',
      accept: 'application/json',
      'user-agent': 'sdk/1',
      host: fakeOrigin.slice('http://'.length),
    });
    for (const name of ['x-drop-me', 'te', 'proxy-authorization', 'x-forwarded-host', 'cookie']) {
      expect(seen[0].headers[name], name).toBeUndefined();
    }
    const head = answer.split('\r\n\r\n')[0].toLowerCase();
    expect(head).toContain('x-end-to-end: kept');
    expect(head).not.toContain('x-hop');
    expect(head).not.toContain('keep-alive: timeout=5');
    const [call] = ring.list();
    expect(call).toMatchObject({ upstream: 'us', localPath: '/us/public/echo?a=1&b=%2F' });
    expect(call.request.url).toBe('https://api.pandadoc.com/public/echo?a=1&b=%2F');
    expect(call.response?.headers).toContainEqual(['x-hop', 'per-connection']);
  });

  it('returns a redirect as it came, never following it', async () => {
    const res = await fetch(`${origin}/us/public/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://api.pandadoc.com/public/elsewhere');
    expect(seen.map((s) => s.url)).toEqual(['/public/redirect']);
  });

  it('hands over a body fetch decoded without its stale Content-Encoding', async () => {
    const res = await fetch(`${origin}/us/public/gzip`);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ zipped: 'x'.repeat(1000) });
  });
});

describe('bodies stream through', () => {
  it('an upload reaches the upstream while the client is still sending; 64 KiB captured', async () => {
    const chunk = Buffer.alloc(MB, 7);
    const total = 24;
    const arrived = new Promise<void>((resolve) => (firstBytes = resolve));
    let sent = 0;
    const hash = createHash('sha256');
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // After the first megabyte, wait until the upstream has some of it: proof of streaming.
        if (sent === 1) await arrived;
        if (sent === total) return controller.close();
        hash.update(chunk);
        controller.enqueue(new Uint8Array(chunk));
        sent++;
      },
    });
    const res = await fetch(`${origin}/us/public/upload`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/pdf' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ size: total * MB, sha256: hash.digest('hex') });
    const [call] = ring.list();
    expect(call.requestBodyTruncated).toBe(true);
    expect(call.request.body?.length).toBe(CAPTURE_BODY_LIMIT);
  });

  it('an upload announced over 100 MB is refused at once, and the connection closed', async () => {
    const answer = await rawExchange(
      port,
      `PUT /us/public/upload HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Content-Length: ${100 * MB + 1}\r\n\r\n`,
    );
    expect(rawStatus(answer)).toBe(413);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(seen).toEqual([]);
  });

  it('a large answer arrives whole; 64 KiB of it captured', async () => {
    const res = await fetch(`${origin}/us/public/big`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(MB);
    const [call] = ring.list();
    expect(call.response).toMatchObject({ status: 200, truncated: true });
    expect(call.response?.body.length).toBe(CAPTURE_BODY_LIMIT);
    expect(call.failure).toBeNull();
  });

  it('a large answer cut off mid-way breaks the client’s connection: never a whole-looking 200', async () => {
    const res = await fetch(`${origin}/us/public/cut`);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    await expect.poll(() => ring.list()[0]?.failure?.kind).toBe('unreachable');
    expect(ring.list()[0].failure?.message).toMatch(/broke off after \d+ body bytes/);
  });
});
