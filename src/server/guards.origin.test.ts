/** Cross-site requests: pages on other sites cannot make the server act (403); CORS is granted to no one. */
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIM_CLIENT_ID } from './config.ts';
import { foreignReason } from './guards.ts';
import { consentForm } from './test-helpers.ts';
import {
  ORIGIN,
  spyFetch,
  setup,
  JSON_HEADERS,
  FORM_HEADERS,
  tokenBody,
  ACTIVE_REQUESTS,
  withHeaders,
  distDir,
  removeDistDir,
} from './securityHarness.ts';

afterAll(removeDistDir);

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
