/**
 * The server under attack, the way a hostile page or network peer would try it: a foreign Host
 * (DNS rebinding), foreign pages (CSRF, CORS), tricks to steer the proxy, oversized and slow
 * requests, and a hunt for secrets in the log. Header-level attacks run in-process; anything that
 * needs a real connection runs the real server on an ephemeral port.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServerApp } from './app.ts';
import { DEFAULT_SIM_CLIENT_ID, DEFAULT_SIM_CLIENT_SECRET, loadConfig } from './config.ts';
import { allowedHosts, foreignReason } from './guards.ts';
import { listen } from './listen.ts';
import { PAGE_CSP } from './pages.ts';
import { consentForm, freePort, rawExchange, rawStatus } from './test-helpers.ts';
import type { TokenCallResult, UpstreamExchange } from '../lib/api/wire.ts';

const ORIGIN = 'http://127.0.0.1:5173';
const config = loadConfig({});

/** The only URLs the server may ever fetch. */
const FIXED_UPSTREAMS = new Set([
  `${ORIGIN}/sim/oauth2/access_token`,
  `${ORIGIN}/sim/public/v1/members/current`,
  'https://api.pandadoc.com/oauth2/access_token',
  'https://api.pandadoc.com/public/v1/members/current',
  'https://api.pandadoc.eu/oauth2/access_token',
  'https://api.pandadoc.eu/public/v1/members/current',
]);

/**
 * Where the pass-through may send a call (issue 11): a fixed upstream's token endpoint, or any
 * path under its `/public/`, with any query. Never another host, never another path.
 */
function onFixedUpstream(url: string): boolean {
  const { origin, pathname } = new URL(url);
  const base = origin === ORIGIN ? '/sim' : '';
  if (![ORIGIN, 'https://api.pandadoc.com', 'https://api.pandadoc.eu'].includes(origin))
    return false;
  return (
    pathname === `${base}/oauth2/access_token` ||
    pathname === `${base}/oauth2/access_token/` ||
    pathname.startsWith(`${base}/public/`)
  );
}

interface Spy {
  urls: string[];
  inits: RequestInit[];
  impl: typeof fetch;
}

/** A fetch that records what the server asked for and answers a fixed JSON body. */
function spyFetch(body = '{"access_token":"x"}', status = 200): Spy {
  const spy: Spy = {
    urls: [],
    inits: [],
    impl: (async (input: string | URL | Request, init?: RequestInit) => {
      spy.urls.push(input instanceof Request ? input.url : String(input));
      spy.inits.push(init ?? {});
      return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch,
  };
  return spy;
}

function setup(options: { fetchImpl?: typeof fetch; distDir?: string; env?: object } = {}) {
  const cfg = options.env ? loadConfig(options.env as Record<string, string>) : config;
  const { app, simulator } = createServerApp({ config: cfg, ...options });
  const call = (path: string, init: RequestInit = {}) => app.request(`${ORIGIN}${path}`, init);
  return { app, simulator, call };
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded' };
const tokenBody = JSON.stringify({
  environment: 'simulator',
  fields: [
    ['grant_type', 'authorization_code'],
    ['client_id', DEFAULT_SIM_CLIENT_ID],
    ['code', 'a'.repeat(40)],
  ],
});

/** One request of every kind that makes the server do something, for blanket assertions. */
const ACTIVE_REQUESTS: [string, RequestInit][] = [
  ['/api/config', {}],
  ['/api/token', { method: 'POST', body: tokenBody, headers: JSON_HEADERS }],
  [
    '/api/members/current',
    {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', accessToken: 'b'.repeat(40) }),
      headers: JSON_HEADERS,
    },
  ],
  ['/oauth2/access_token', { method: 'POST', body: 'grant_type=x', headers: FORM_HEADERS }],
  ['/public/v1/members/current', { headers: { Authorization: `Bearer ${'c'.repeat(40)}` } }],
  ['/sim/oauth2/authorize', { method: 'POST', body: 'decision=allow', headers: FORM_HEADERS }],
  ['/sim/oauth2/access_token', { method: 'POST', body: 'grant_type=x', headers: FORM_HEADERS }],
  ['/sim/public/v1/members/current', {}],
  ['/sim/_control', {}],
  ['/sim/_control', { method: 'PUT', body: '{"fault":"html"}', headers: JSON_HEADERS }],
  ['/sim/_control/reset', { method: 'POST' }],
  ['/sim/_control/advance-clock', { method: 'POST', body: '{"ms":1}', headers: JSON_HEADERS }],
];

const withHeaders = (init: RequestInit, extra: Record<string, string>): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), ...extra },
});

describe('listening address (loadConfig)', () => {
  it('is 127.0.0.1 unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({}).origin).toBe('http://127.0.0.1:5173');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).origin).toBe('http://0.0.0.0:8080');
    expect(loadConfig({ HOST: '::1' }).origin).toBe('http://[::1]:5173');
  });

  it('rejects a port that is not one', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be a port number/);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
  });

  it('the real server binds to the configured address only', async () => {
    const { app } = setup();
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    try {
      expect(running.server.address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      await running.close();
    }
  });
});

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

describe('cross-site: foreign pages cannot make the server act', () => {
  const FOREIGN: Record<string, string>[] = [
    { Origin: 'https://evil.example' },
    { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    { 'Sec-Fetch-Site': 'cross-site' },
    { Origin: 'http://localhost:5174', 'Sec-Fetch-Site': 'same-site' },
    { 'Sec-Fetch-Site': 'same-site' },
    { Origin: 'null' },
    { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
    { Origin: 'http://127.0.0.1:5173.evil.example' },
    { Origin: 'https://127.0.0.1:5173' },
    { Origin: 'http://127.0.0.1:5173/' },
    { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    { 'Sec-Fetch-Site': 'cross-origin-whatever' },
  ];

  it.each(FOREIGN)('refuses %j on every endpoint that does something', async (headers) => {
    const spy = spyFetch();
    const { call, simulator } = setup({ fetchImpl: spy.impl });
    for (const [path, init] of ACTIVE_REQUESTS) {
      const res = await call(path, withHeaders(init, headers));
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(403);
      const text = await res.text();
      expect(text).toMatch(/Refused: .*acts only for the debugger's own pages/);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
    expect(spy.urls).toEqual([]);
    expect(simulator.settings.fault).toBe('none');
    expect(simulator.clockOffsetMs).toBe(0);
  });

  it('says why, as JSON on /api', async () => {
    const { call } = setup();
    const res = await call('/api/token', {
      method: 'POST',
      body: tokenBody,
      headers: { ...JSON_HEADERS, Origin: 'https://evil.example' },
    });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('cross_site');
    expect(body.error.message).toContain('"https://evil.example"');
  });

  const SAME_ORIGIN: Record<string, string>[] = [
    {},
    { Origin: ORIGIN },
    { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
    { Origin: 'http://localhost:5173', 'Sec-Fetch-Site': 'same-origin' },
    { 'Sec-Fetch-Site': 'same-origin' },
    { 'Sec-Fetch-Site': 'none' },
    { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-site' },
  ];

  it.each(SAME_ORIGIN)('lets %j through to the API and the pass-through', async (headers) => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    for (const [path, init] of ACTIVE_REQUESTS.slice(0, 5)) {
      const res = await call(path, withHeaders(init, headers));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
    expect(spy.urls).toHaveLength(4);
  });

  it("lets the consent form post from the simulator's own page (Origin: null under no-referrer)", async () => {
    const { call } = setup();
    const query = `client_id=${DEFAULT_SIM_CLIENT_ID}&response_type=code&state=s1`;
    const page = await call(`/sim/oauth2/authorize?${query}`, {
      headers: { 'Sec-Fetch-Site': 'cross-site' }, // navigations from anywhere are fine
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    const form = consentForm(await page.text());
    // A browser sends Origin: null for a form POST from a no-referrer page, and marks it same-origin.
    for (const headers of [
      { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
      { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
    ]) {
      const res = await call('/sim/oauth2/authorize', {
        method: 'POST',
        body: form.toString(),
        headers: { ...FORM_HEADERS, ...headers },
      });
      expect(res.status).toBe(302);
      expect(res.headers.get('Location')).toMatch(/\/callback\?state=s1&code=[0-9a-f]{40}$/);
    }
    // The same form posted by another site's page is a forged consent: refused.
    const forged = await call('/sim/oauth2/authorize', {
      method: 'POST',
      body: form.toString(),
      headers: { ...FORM_HEADERS, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
  });

  it('lets PandaDoc send the browser back to /callback (a cross-site navigation)', async () => {
    const { call } = setup({ distDir: await distDir() });
    const res = await call('/callback?state=s&code=c', {
      headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' },
    });
    expect(res.status).toBe(200);
  });

  it('grants CORS to nobody: preflights get no grant, answers carry no Access-Control-*', async () => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl, distDir: await distDir() });
    for (const origin of ['https://evil.example', ORIGIN]) {
      for (const path of ['/api/token', '/oauth2/access_token', '/public/v1/members/current']) {
        const res = await call(path, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type, authorization',
          },
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        for (const name of res.headers.keys()) expect(name).not.toMatch(/^access-control-/);
      }
    }
    for (const [path, init] of [...ACTIVE_REQUESTS, ['/', {}] as [string, RequestInit]]) {
      const res = await call(path, withHeaders(init, { Origin: ORIGIN }));
      for (const name of res.headers.keys()) expect(name).not.toMatch(/^access-control-/);
    }
  });

  it('foreignReason: the decision table', () => {
    const ours = (o: string) => o === ORIGIN;
    expect(foreignReason(undefined, undefined, ours)).toBeNull();
    expect(foreignReason(ORIGIN, 'same-origin', ours)).toBeNull();
    expect(foreignReason('null', 'same-origin', ours)).toBeNull();
    expect(foreignReason(undefined, 'none', ours)).toBeNull();
    expect(foreignReason(ORIGIN, 'same-site', ours)).toBeNull();
    expect(foreignReason(undefined, 'same-site', ours)).toMatch(/same-site/);
    expect(foreignReason('null', 'none', ours)).toMatch(/opaque/);
    expect(foreignReason('null', undefined, ours)).toMatch(/opaque/);
    expect(foreignReason('http://x', 'same-origin', ours)).toMatch(/"http:\/\/x"/);
  });
});

describe('the proxy forwards only to fixed upstreams and fixed paths', () => {
  const STEERING_HEADERS: Record<string, string> = {
    'X-Forwarded-Host': 'evil.example',
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Prefix': '/evil',
    Forwarded: 'host=evil.example;proto=https',
    'X-Original-URL': 'http://evil.example/steal',
    'X-Rewrite-URL': '//evil.example/steal',
    'X-Original-Host': 'evil.example',
    'X-Host': 'evil.example',
    'X-HTTP-Method-Override': 'PUT',
    'X-Upstream': 'https://evil.example',
    Referer: 'https://evil.example/',
  };

  it('headers cannot steer it', async () => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    for (const [path, init] of ACTIVE_REQUESTS.slice(1, 5)) {
      const res = await call(path, withHeaders(init, STEERING_HEADERS));
      expect(res.status, path).toBe(200);
    }
    expect(spy.urls).toEqual([
      `${ORIGIN}/sim/oauth2/access_token`,
      `${ORIGIN}/sim/public/v1/members/current`,
      `${ORIGIN}/sim/oauth2/access_token`,
      `${ORIGIN}/sim/public/v1/members/current`,
    ]);
    // None of the steering headers is passed on.
    for (const init of spy.inits) {
      const names = (init.headers as [string, string][]).map(([n]) => n.toLowerCase());
      expect(names.every((n) => ['accept', 'content-type', 'authorization'].includes(n))).toBe(
        true,
      );
      expect(init.redirect).toBe('manual');
    }
  });

  it('queries cannot steer it', async () => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    const q = '?url=https://evil.example&upstream=us&environment=eu&host=evil.example&path=/x';
    for (const [path, init] of ACTIVE_REQUESTS.slice(1, 5)) {
      expect((await call(path + q, init)).status).toBe(200);
    }
    expect(spy.urls.every((u) => FIXED_UPSTREAMS.has(u.split('?')[0]))).toBe(true);
    expect(spy.urls.every((u) => u.startsWith(`${ORIGIN}/sim/`))).toBe(true);
  });

  it('bodies choose only among the three environments', async () => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    const post = (body: unknown, path = '/api/token') =>
      call(path, { method: 'POST', body: JSON.stringify(body), headers: JSON_HEADERS });
    for (const environment of [
      'https://evil.example',
      '//evil.example',
      'simulator/../../evil',
      'US',
      ['us'],
      { url: 'x' },
      '__proto__',
      'constructor',
    ]) {
      expect((await post({ environment, fields: [] })).status).toBe(400);
      expect((await post({ environment, accessToken: 'x' }, '/api/members/current')).status).toBe(
        400,
      );
    }
    for (const environment of ['simulator', 'us', 'eu']) {
      await post({ environment, fields: [['grant_type', 'x']], url: 'https://evil.example' });
      await post({ environment, accessToken: 'tok', path: '/x' }, '/api/members/current');
    }
    expect(spy.urls).toEqual([
      `${ORIGIN}/sim/oauth2/access_token`,
      `${ORIGIN}/sim/public/v1/members/current`,
      'https://api.pandadoc.com/oauth2/access_token',
      'https://api.pandadoc.com/public/v1/members/current',
      'https://api.pandadoc.eu/oauth2/access_token',
      'https://api.pandadoc.eu/public/v1/members/current',
    ]);
    // Unknown form fields and header-splitting tokens never get out.
    const smuggle = await post({ environment: 'simulator', fields: [['url', 'x']] });
    expect(smuggle.status).toBe(400);
    const split = await post(
      { environment: 'simulator', accessToken: 'tok\r\nHost: evil.example' },
      '/api/members/current',
    );
    expect(split.status).toBe(400);
    expect(spy.urls).toHaveLength(6);
  });

  const TRICK_PATHS = [
    '/oauth2/access_token/../../x',
    '/oauth2/access_token/%2e%2e/%2e%2e/x',
    '/oauth2/access_token/%2E%2E/evil',
    '/oauth2/access_token/..%2f..%2fevil',
    '/oauth2/access_token%2f..%2f..%2fevil',
    '/oauth2/access_token%00',
    '/oauth2/access_token;evil.example',
    '/public/v1/members/current/../../../../evil',
    '/public/v1/members/current%2f..%2f..%2fevil',
    '/public/v1/members/current/',
    '/PUBLIC/v1/members/current',
    '/public/v1/members/%63urrent/../me',
    '//evil.example/oauth2/access_token',
    '//evil.example/public/v1/members/current',
    '/api/../oauth2/access_token/evil',
    '/api/token/..%2f..%2fevil',
    '/api/%2e%2e/sim/evil',
  ];

  it.each(TRICK_PATHS)('path %s fetches nothing but a fixed URL', async (path) => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    for (const method of ['GET', 'POST']) {
      await call(path, {
        method,
        body: method === 'POST' ? 'grant_type=authorization_code' : undefined,
        headers: FORM_HEADERS,
      });
    }
    expect(spy.urls.filter((u) => !onFixedUpstream(u))).toEqual([]);
  });

  it('over a raw socket, absolute-URI targets, // paths and dot segments go nowhere else', async () => {
    const spy = spyFetch();
    const { app } = setup({ fetchImpl: spy.impl });
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    const host = `127.0.0.1:${running.port}`;
    const send = (target: string, method = 'GET', extra = '') =>
      rawExchange(
        running.port,
        `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n` +
          (method === 'POST'
            ? 'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\ngrant_type=x'
            : '\r\n'),
      );
    try {
      // Absolute-form targets naming another host are refused outright...
      for (const target of [
        'http://evil.example/public/v1/members/current',
        `http://evil.example:${running.port}/oauth2/access_token`,
        `https://evil.example/oauth2/access_token`,
        `http://${host}@evil.example/public/v1/members/current`,
      ]) {
        expect(rawStatus(await send(target)), target).toBe(421);
        expect(rawStatus(await send(target, 'POST')), target).toBe(421);
      }
      expect(spy.urls).toEqual([]);
      // ...and one naming this server still reaches only the fixed upstream.
      expect(rawStatus(await send(`http://${host}/public/v1/members/current`))).toBe(200);
      expect(spy.urls).toEqual([`${ORIGIN}/sim/public/v1/members/current`]);
      spy.urls.length = 0;
      for (const target of [
        '//evil.example/public/v1/members/current',
        '/oauth2/access_token/../../evil',
        '/oauth2/access_token/%2e%2e/%2e%2e/evil',
        '/public/v1/members/current/..\\..\\evil',
        '/oauth2/access_token#@evil.example/',
        '@evil.example/oauth2/access_token',
        '*',
      ]) {
        // Refused (400), not found (404), or (a fragment dropped) the real path: never elsewhere.
        const status = rawStatus(await send(target, 'POST'));
        expect([200, 400, 404], target).toContain(status);
      }
      expect(spy.urls.filter((u) => !onFixedUpstream(u))).toEqual([]);
      spy.urls.length = 0;
      // CONNECT turns nobody's server into a tunnel.
      const connectAnswer = await send('evil.example:443', 'CONNECT');
      expect(connectAnswer.startsWith('HTTP/1.1 200')).toBe(false);
      // The real paths, with steering headers, still go to the fixed upstream only.
      const ok = await send(
        '/oauth2/access_token',
        'POST',
        'X-Forwarded-Host: evil.example\r\nX-Original-URL: http://evil.example/\r\n',
      );
      expect(rawStatus(ok)).toBe(200);
      expect(spy.urls).toEqual([`${ORIGIN}/sim/oauth2/access_token`]);
    } finally {
      await running.close();
    }
  });
});

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

describe('the log never holds a secret, code, token or state', () => {
  it('after a full flow through /api and the pass-through paths', async () => {
    const lines: string[] = [];
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(capture),
    );
    // The proxy reaches the simulator by URL; in-process, that URL is served by the same app.
    const { app } = createServerApp({
      config,
      distDir: await distDir(),
      fetchImpl: ((input: string | URL | Request, init?: RequestInit) =>
        app.fetch(new Request(input, init))) as typeof fetch,
      log: (line) => lines.push(line),
    });
    const call = (path: string, init: RequestInit = {}) => app.request(`${ORIGIN}${path}`, init);
    const secrets: string[] = [DEFAULT_SIM_CLIENT_SECRET];
    const keep = (value: string | null | undefined) => {
      expect(value).toBeTruthy();
      secrets.push(value!);
      return value!;
    };

    try {
      // 1-3: authorize, consent, callback.
      async function authorize(state: string): Promise<string> {
        const q = new URLSearchParams({
          client_id: DEFAULT_SIM_CLIENT_ID,
          redirect_uri: `${ORIGIN}/callback`,
          scope: 'read+write',
          response_type: 'code',
          state,
        });
        const page = await call(`/sim/oauth2/authorize?${q}`);
        expect(page.status).toBe(200);
        const consent = await call('/sim/oauth2/authorize', {
          method: 'POST',
          body: consentForm(await page.text()).toString(),
          headers: { ...FORM_HEADERS, Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
        });
        expect(consent.status).toBe(302);
        const location = consent.headers.get('Location')!;
        const back = new URL(location);
        expect((await call(`${back.pathname}${back.search}`)).status).toBe(200);
        return keep(back.searchParams.get('code'));
      }
      const apiJson = async (path: string, body: unknown) => {
        const res = await call(path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { ...JSON_HEADERS, Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
        });
        expect(res.status).toBe(200);
        const exchange = (await res.json()) as UpstreamExchange;
        expect(exchange.response?.status).toBe(200);
        return JSON.parse(exchange.response!.body) as Record<string, string>;
      };

      // 4-7 through the app's API.
      const code = await authorize(keep('state-Zq81-opaque-value'));
      const first = await apiJson('/api/token', {
        environment: 'simulator',
        fields: [
          ['grant_type', 'authorization_code'],
          ['client_id', DEFAULT_SIM_CLIENT_ID],
          ['code', code],
        ],
      });
      keep(first.access_token);
      keep(first.refresh_token);
      const member = await apiJson('/api/members/current', {
        environment: 'simulator',
        accessToken: first.access_token,
      });
      expect(member.email).toBe('demo@example.com');
      const second = await apiJson('/api/token', {
        environment: 'simulator',
        fields: [
          ['grant_type', 'refresh_token'],
          ['client_id', DEFAULT_SIM_CLIENT_ID],
          ['client_secret', DEFAULT_SIM_CLIENT_SECRET],
          ['refresh_token', first.refresh_token],
        ],
      });
      keep(second.access_token);
      keep(second.refresh_token);

      // The same through the pass-through paths, as the SDK would.
      const code2 = await authorize(keep('another-state-9c1b'));
      const passToken = async (form: Record<string, string>, headers = {}) => {
        const res = await call('/oauth2/access_token', {
          method: 'POST',
          body: new URLSearchParams(form).toString(),
          headers: { ...FORM_HEADERS, ...headers },
        });
        expect(res.status).toBe(200);
        return (await res.json()) as Record<string, string>;
      };
      const third = await passToken({
        grant_type: 'authorization_code',
        client_id: DEFAULT_SIM_CLIENT_ID,
        client_secret: DEFAULT_SIM_CLIENT_SECRET,
        code: code2,
      });
      keep(third.access_token);
      keep(third.refresh_token);
      const me = await call('/public/v1/members/current', {
        headers: { Authorization: `Bearer ${third.access_token}` },
      });
      expect(me.status).toBe(200);
      const basic = Buffer.from(`${DEFAULT_SIM_CLIENT_ID}:${DEFAULT_SIM_CLIENT_SECRET}`).toString(
        'base64',
      );
      secrets.push(basic);
      const fourth = await passToken(
        { grant_type: 'refresh_token', refresh_token: third.refresh_token },
        { Authorization: `Basic ${basic}` },
      );
      keep(fourth.access_token);
      // Failures too: a reused code, a dead token, a refused Host.
      await passToken({ grant_type: 'authorization_code', code: code2 }).catch(() => undefined);
      await call('/public/v1/members/current', {
        headers: { Authorization: `Bearer ${first.access_token}` },
      });
      await call(`/callback?code=${code}&state=x`, { headers: { Host: 'evil.example' } });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    expect(lines.length).toBeGreaterThan(15);
    for (const line of lines) {
      expect(line).toMatch(/^(GET|POST|PUT|OPTIONS) \/[^\s?]* \d{3} \d+\.\dms$/);
    }
    const everything = [...lines, ...printed].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(lines).toContain(lines.find((l) => l.startsWith('POST /api/token 200')));
    expect(lines.some((l) => l.startsWith('GET /callback 200'))).toBe(true);
  });
});

describe('security headers', () => {
  it('pages: strict CSP without inline script, no framing, no referrer, no sniffing', async () => {
    const { call } = setup({ distDir: await distDir() });
    for (const path of ['/', '/callback?state=s&code=c', '/assets/app.js']) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('Content-Security-Policy')!;
      expect(csp).toBe(PAGE_CSP);
      expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
    expect((await call('/callback?code=c')).headers.get('Cache-Control')).toBe('no-store');
  });

  it('API and pass-through answers: nosniff, no-store, sandboxed, no framing', async () => {
    const spy = spyFetch();
    const { call } = setup({ fetchImpl: spy.impl });
    for (const [path, init] of ACTIVE_REQUESTS.slice(0, 5)) {
      const res = await call(path, init);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('Content-Security-Policy')).toContain('sandbox');
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    }
    // Even 404s and refusals are never sniffed.
    expect((await call('/api/nope')).headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(
      (await call('/api/config', { headers: { Host: 'x' } })).headers.get('X-Content-Type-Options'),
    ).toBe('nosniff');
  });

  it('an upstream HTML answer passed through cannot run on our origin', async () => {
    const spy = spyFetch('<script>alert(document.domain)</script>', 502);
    const { call } = setup({ fetchImpl: spy.impl });
    const res = await call('/public/v1/members/current');
    expect(res.status).toBe(502);
    expect(res.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'.*sandbox/);
  });
});

let distPath: string | undefined;
/** A temporary dist/ with an index.html and one asset, created once. */
async function distDir(): Promise<string> {
  if (!distPath) {
    distPath = mkdtempSync(join(tmpdir(), 'oauth-debugger-dist-'));
    writeFileSync(
      join(distPath, 'index.html'),
      '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>',
    );
    mkdirSync(join(distPath, 'assets'));
    writeFileSync(join(distPath, 'assets', 'app.js'), 'export {};');
  }
  return distPath;
}

afterAll(() => {
  if (distPath) rmSync(distPath, { recursive: true, force: true });
});
