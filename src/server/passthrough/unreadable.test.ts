/**
 * Requests Node's HTTP parser refuses, over real sockets: the client gets Node's own answer, and
 * the capture records what the developer needs to see (never a header that may hold a secret).
 */
import https from 'node:https';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedCall } from '../../lib/api/traffic.ts';
import { createServerApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { listen } from '../listen.ts';
import { freePort } from '../test-helpers.ts';
import { describeUnreadable, MAX_UNREADABLE_HELD, unreadableRecorder } from './unreadable.ts';

let port = 0;
let served: ReturnType<typeof createServerApp>;
let running: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  port = await freePort();
  const config = loadConfig({ PORT: String(port) });
  served = createServerApp({ config, capture: { enabled: true } });
  running = await listen({
    fetch: served.app.fetch,
    hostname: config.host,
    port,
    timeouts: { headersTimeoutMs: 500, requestTimeoutMs: 500, checkIntervalMs: 100 },
    onClientError: unreadableRecorder(config, served.ring),
  });
});
afterAll(() => running.close());

/** Sends raw bytes; resolves with all the server answered before it closed the connection. */
function raw(bytes: string | Buffer, { end = true } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (end) socket.end();
    });
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

/** The calls captured after `seq`. */
const capturedSince = (seq: number): CapturedCall[] => served.ring.since(seq);

describe('requests Node refuses before the app sees them', () => {
  it('a client that speaks https:// to the plain-HTTP port: recorded, with what to change', async () => {
    const before = served.ring.lastSeq;
    const error = await new Promise<Error>((resolve) => {
      const req = https.get(`https://127.0.0.1:${port}/public/v1/members/current`, {
        headers: { Authorization: 'Bearer 0123456789abcdef0123456789abcdef01234567' },
        rejectUnauthorized: false,
      });
      req.on('error', resolve);
    });
    // The client's TLS library reads Node's plain-text 400 as a broken handshake.
    expect(error.message).toMatch(/wrong version number|EPROTO|packet length/i);
    const [call, ...more] = capturedSince(before);
    expect(more).toEqual([]);
    expect(call).toMatchObject({
      request: { method: '', url: `https://127.0.0.1:${port}/`, headers: [], body: null },
      response: { status: 400, statusText: 'Bad Request' },
      localPath: '(a TLS handshake)',
      refused: { kind: 'https' },
    });
    expect(call!.refused!.reason).toContain('https://');
  });

  it('headers over 16 KB: 431 as Node sends it, recorded with the path and client', async () => {
    const before = served.ring.lastSeq;
    const answer = await raw(
      `GET /public/v1/members/current HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `User-Agent: my-integration/1.0\r\nAuthorization: Bearer s3cret-token\r\n` +
        `Cookie: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
    );
    expect(answer).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
    );
    const [call] = capturedSince(before);
    expect(call).toMatchObject({
      request: { method: 'GET', headers: [] },
      response: { status: 431 },
      localPath: '/public/v1/members/current',
      userAgent: 'my-integration/1.0',
      refused: { kind: 'unreadable' },
    });
    expect(call!.refused!.reason).toContain('16 KB');
    expect(JSON.stringify(call)).not.toContain('s3cret-token');
  });

  it('a broken header line: 400, recorded; headers that never finish: 408, not recorded', async () => {
    const before = served.ring.lastSeq;
    const broken = await raw(
      'POST /oauth2/access_token HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\x01def\r\n\r\n',
    );
    expect(broken).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    const slow = await raw('GET /public/v1/members/current HTTP/1.1\r\nHost: x\r\n', {
      end: false,
    });
    expect(slow).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    // Node gives no bytes with a timeout: nothing says which path it was for (a browser's
    // speculative connection times out the same way), so it is not recorded.
    expect(
      capturedSince(before).map((c) => [c.request.method, c.localPath, c.response?.status]),
    ).toEqual([['POST', '/oauth2/access_token', 400]]);
  });

  it('broken in its body: 413 as Node sends it, and no second record (the app has the call)', async () => {
    const before = served.ring.lastSeq;
    const answer = await raw(
      'POST /public/v1/documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `1;${'a'.repeat(20 * 1024)}\r\nx\r\n0\r\n\r\n`,
    );
    expect(answer).toBe('HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(capturedSince(before).filter((c) => c.refused?.kind === 'unreadable')).toEqual([]);
  });

  it('not recorded: the app’s own paths, bytes that are not HTTP; recorded at most 20 at a time', async () => {
    const before = served.ring.lastSeq;
    expect(await raw('GET /api/session HTTP/1.1\r\nHost: x\r\nBad\x01: y\r\n\r\n')).toContain(
      '400 Bad Request',
    );
    expect(await raw('\x00\x01garbage\r\n\r\n')).toContain('400 Bad Request');
    expect(capturedSince(before)).toEqual([]);
    for (let i = 0; i < MAX_UNREADABLE_HELD + 5; i++) {
      await raw('GET /public/v1/x HTTP/1.1\r\nBad\x01: y\r\n\r\n');
    }
    // Those recorded by the tests above count too: 20 in the ring at a time, of every kind.
    const held = served.ring
      .list()
      .filter((c) => c.refused?.kind === 'unreadable' || c.refused?.kind === 'https');
    expect(held).toHaveLength(MAX_UNREADABLE_HELD);
    // The app still answers as ever.
    const ok = await fetch(`http://127.0.0.1:${port}/public/v1/members/current`);
    expect(ok.status).toBe(401);
  });
});

describe('describeUnreadable', () => {
  const packet = (s: string) => Buffer.from(s, 'latin1');

  it('reads the request line and User-Agent, and says why for each parser error', () => {
    const request =
      'GET /public/v1/documents?status=0 HTTP/1.1\r\nHost: x\r\nuser-agent:  curl/8.5.0 \r\n';
    // A timeout: nothing says which path it was for (Node gives no bytes with it).
    for (const rawPacket of [undefined, packet(request)]) {
      expect(describeUnreadable({ code: 'ERR_HTTP_REQUEST_TIMEOUT', rawPacket })).toBeNull();
    }
    expect(
      describeUnreadable({ code: 'HPE_INVALID_HEADER_TOKEN', rawPacket: packet(request) }),
    ).toMatchObject({
      status: 400,
      tls: false,
      method: 'GET',
      target: '/public/v1/documents?status=0',
      userAgent: 'curl/8.5.0',
    });
    const reasons = new Map(
      [
        'HPE_HEADER_OVERFLOW',
        'HPE_LF_EXPECTED',
        'HPE_UNEXPECTED_CONTENT_LENGTH',
        'HPE_SOMETHING_NEW',
      ].map((code) => {
        const got = describeUnreadable({ code, rawPacket: packet(request) })!;
        return [code, `${got.status} ${got.reason}`];
      }),
    );
    expect(reasons.get('HPE_HEADER_OVERFLOW')).toMatch(/^431 .*16 KB/);
    expect(reasons.get('HPE_LF_EXPECTED')).toMatch(/^400 .*line break/);
    expect(reasons.get('HPE_UNEXPECTED_CONTENT_LENGTH')).toMatch(/^400 .*Transfer-Encoding/);
    expect(reasons.get('HPE_SOMETHING_NEW')).toMatch(/^400 .*\(HPE_SOMETHING_NEW\)/);
  });

  it('nothing to show for a client that went away, or bytes that are not a request', () => {
    expect(
      describeUnreadable({ code: 'ECONNRESET', rawPacket: packet('GET / HTTP/1.1\r\n') }),
    ).toBeNull();
    for (const bytes of [
      '',
      'hello',
      'GET  HTTP/1.1\r\n',
      'get /x HTTP/1.1\r\n',
      'GET x HTTP/1.1\r\n',
    ]) {
      expect(
        describeUnreadable({ code: 'HPE_INVALID_METHOD', rawPacket: packet(bytes) }),
      ).toBeNull();
    }
    // A TLS record that is not a handshake (alert, 21) is not a client speaking https.
    expect(
      describeUnreadable({ code: 'HPE_INVALID_METHOD', rawPacket: Buffer.from([21, 3, 3]) }),
    ).toBeNull();
    expect(
      describeUnreadable({ code: 'HPE_INVALID_METHOD', rawPacket: Buffer.from([22, 3, 1, 2, 0]) })
        ?.tls,
    ).toBe(true);
  });
});
