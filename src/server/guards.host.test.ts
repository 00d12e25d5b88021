/** DNS rebinding: only requests addressed to this server by its own names are answered (421). */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { allowedHosts } from './guards.ts';
import { listen } from './listen.ts';
import { rawExchange, rawStatus } from './test-helpers.ts';
import {
  spyFetch,
  setup,
  ACTIVE_REQUESTS,
  withHeaders,
  distDir,
  removeDistDir,
} from './securityHarness.ts';

afterAll(removeDistDir);

describe('DNS rebinding: only our own Host is answered', () => {
  const FOREIGN_HOSTS = [
    'evil.example',
    'evil.example:5173',
    'rebind.127.0.0.1.nip.io:5173',
    'localhost.evil.example:5173',
    '127.0.0.1:5173.evil.example',
    '127.0.0.1:80',
    '127.0.0.1',
    'localhost:5174',
    '0.0.0.0:5173',
    '[::2]:5173',
    '',
  ];
  const PATHS: [string, RequestInit][] = [
    ['/', {}],
    ['/callback?state=s&code=c', {}],
    ['/sim/oauth2/authorize?client_id=x', {}],
    ...ACTIVE_REQUESTS,
  ];

  it.each(['127.0.0.1:5173', 'localhost:5173', '[::1]:5173', 'LOCALHOST:5173'])(
    'answers Host %s',
    async (host) => {
      const { call } = setup();
      const res = await call('/api/config', { headers: { Host: host } });
      expect(res.status).toBe(200);
    },
  );

  it.each(FOREIGN_HOSTS)('refuses Host %j on every path, before doing anything', async (host) => {
    const spy = spyFetch();
    const { call, simulator } = setup({ fetchImpl: spy.impl, distDir: await distDir() });
    for (const [path, init] of PATHS) {
      const res = await call(path, withHeaders(init, { Host: host }));
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(421);
      const text = await res.text();
      expect(text).toMatch(/only answers requests addressed to 127\.0\.0\.1:5173/);
      expect(text).toMatch(/DNS rebinding/);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
    expect(spy.urls).toEqual([]);
    expect(simulator.settings.fault).toBe('none');
    expect(simulator.clockOffsetMs).toBe(0);
  });

  it('answers with JSON on /api and plain text elsewhere', async () => {
    const { call } = setup();
    const api = await call('/api/config', { headers: { Host: 'evil.example' } });
    expect(await api.json()).toMatchObject({ error: { code: 'wrong_host' } });
    const page = await call('/sim/oauth2/authorize', { headers: { Host: 'evil.example' } });
    expect(page.headers.get('Content-Type')).toMatch(/^text\/plain/);
  });

  it('answers the configured HOST too', async () => {
    const { app } = setup({ env: { HOST: '192.168.1.20', PORT: '5180' } });
    const ok = await app.request('http://192.168.1.20:5180/api/config');
    expect(ok.status).toBe(200);
    const loopback = await app.request('http://127.0.0.1:5180/api/config');
    expect(loopback.status).toBe(200);
    const other = await app.request('http://192.168.1.21:5180/api/config');
    expect(other.status).toBe(421);
    expect(allowedHosts(loadConfig({ HOST: '::1' }))).toContain('[::1]:5173');
  });

  it('over a real socket, a rebinding Host gets 421 and the right one gets 200', async () => {
    const { app } = setup();
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    try {
      const port = running.port;
      const evil = await rawExchange(
        port,
        `GET /api/config HTTP/1.1\r\nHost: attacker.example:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(rawStatus(evil)).toBe(421);
      // The port the connection really arrived on counts as ours (here, an ephemeral one).
      const good = await rawExchange(
        port,
        `GET /api/config HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(rawStatus(good)).toBe(200);
      const noHost = await rawExchange(port, `GET /api/config HTTP/1.0\r\n\r\n`);
      expect(rawStatus(noHost)).toBe(421);
      // An absolute-form request line names the host, whatever Host says.
      const absolute = await rawExchange(
        port,
        `GET http://attacker.example:${port}/api/config HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(rawStatus(absolute)).toBe(421);
    } finally {
      await running.close();
    }
  });
});
