/** The proxy forwards only to fixed upstreams and fixed paths, whatever a request tries (headers, paths, absolute URIs). */
import { describe, expect, it } from 'vitest';
import { listen } from './listen.ts';
import { rawExchange, rawStatus } from './test-helpers.ts';
import {
  ORIGIN,
  FIXED_UPSTREAMS,
  onFixedUpstream,
  spyFetch,
  setup,
  JSON_HEADERS,
  FORM_HEADERS,
  ACTIVE_REQUESTS,
  withHeaders,
} from './securityHarness.ts';

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
