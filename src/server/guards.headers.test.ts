/** Security headers on pages, API and pass-through answers, refusals included. */
import { afterAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from './pages.ts';
import { spyFetch, setup, ACTIVE_REQUESTS, distDir, removeDistDir } from './securityHarness.ts';

afterAll(removeDistDir);

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
