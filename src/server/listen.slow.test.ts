/** Slow clients hold up nobody: the server's header, request, keep-alive and idle timeouts, on a real socket. */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './listen.ts';
import { rawStatus } from './test-helpers.ts';
import { setup } from './securityHarness.ts';

describe('slow clients hold up nobody', () => {
  const TIMEOUTS = {
    headersTimeoutMs: 1200,
    requestTimeoutMs: 1800,
    keepAliveTimeoutMs: 400,
    checkIntervalMs: 100,
  };
  /** Well under the header timeout: an answer this fast was not waiting for the slow client. */
  const PROMPT_MS = 400;
  let running: Awaited<ReturnType<typeof listen>>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const { app } = setup();
    running = await listen({
      fetch: app.fetch,
      hostname: '127.0.0.1',
      port: 0,
      timeouts: TIMEOUTS,
    });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });
  afterAll(async () => {
    await running.close();
  });

  /** Opens a connection and reports when (and with what) the server closes it. */
  function slowClient(): { socket: Socket; closed: Promise<{ ms: number; answer: string }> } {
    const t0 = performance.now();
    const socket = connect(running.port, '127.0.0.1');
    sockets.push(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    const closed = new Promise<{ ms: number; answer: string }>((resolve) =>
      socket.on('close', () =>
        resolve({ ms: performance.now() - t0, answer: Buffer.concat(chunks).toString() }),
      ),
    );
    return { socket, closed };
  }

  /** Writes `text` one byte at a time, `gapMs` apart, until the socket closes. */
  function trickle(socket: Socket, text: string, gapMs: number) {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(timer);
      socket.write(text[i++]);
    }, gapMs);
    socket.on('close', () => clearInterval(timer));
  }

  it('headers sent byte by byte: others are answered promptly; the slow one is closed', async () => {
    const slow = slowClient();
    trickle(
      slow.socket,
      `GET /api/config HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\nX-Padding: ${'p'.repeat(500)}\r\n\r\n`,
      50,
    );
    await new Promise((r) => setTimeout(r, 150));
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${running.port}/api/config`);
      expect(res.status).toBe(200);
      await res.text();
      expect(performance.now() - t0).toBeLessThan(PROMPT_MS);
    }
    const { ms, answer } = await slow.closed;
    expect(ms).toBeLessThan(TIMEOUTS.headersTimeoutMs + 1000);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 100);
    expect(answer).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('a body sent byte by byte is cut off after the request timeout', async () => {
    const slow = slowClient();
    slow.socket.write(
      `POST /sim/oauth2/access_token HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n` +
        'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n',
    );
    trickle(slow.socket, 'grant_type='.padEnd(5000, 'x'), 50);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${running.port}/api/config`);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(PROMPT_MS);
    const { ms } = await slow.closed;
    expect(ms).toBeLessThan(TIMEOUTS.requestTimeoutMs + 1000);
  });

  it('an idle kept-alive connection is closed after the keep-alive timeout', async () => {
    const idle = slowClient();
    idle.socket.write(`GET /api/config HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n\r\n`);
    const { ms, answer } = await idle.closed;
    expect(rawStatus(answer)).toBe(200);
    // Node adds a grace period (keepAliveTimeoutBuffer, 1 s) for clients racing the close.
    expect(ms).toBeLessThan(TIMEOUTS.keepAliveTimeoutMs + 2000);
  });

  it('a connection that never says anything is closed too', async () => {
    const silent = slowClient();
    const { ms } = await silent.closed;
    expect(ms).toBeLessThan(TIMEOUTS.headersTimeoutMs + 1000);
  });
});
