/**
 * `npm run dev` sends the headers `npm start` sends: Vite's dev server, with this repository's
 * vite.config.ts, started for real and asked for the page, the callback and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { DEV_PAGE_CSP } from './devPages.ts';
import { DATA_HEADERS } from './guards.ts';
import { PAGE_CSP, pageHeaders } from './pages.ts';
import { freePort } from './test-helpers.ts';

let vite: ViteDevServer;
let origin: string;
beforeAll(async () => {
  const port = await freePort();
  vite = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'silent',
    server: { port, host: '127.0.0.1', hmr: false, watch: null },
  });
  await vite.listen();
  origin = `http://127.0.0.1:${port}`;
}, 30_000);
afterAll(() => vite?.close());

describe('npm run dev: the same headers as npm start', () => {
  it('the page carries every page header; the CSP differs only by inline styles', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(pageHeaders())) {
      if (name !== 'Content-Security-Policy') expect(res.headers.get(name), name).toBe(value);
    }
    expect(res.headers.get('Content-Security-Policy')).toBe(DEV_PAGE_CSP);
    expect(DEV_PAGE_CSP.replace(" 'unsafe-inline'", '')).toBe(PAGE_CSP);
    expect(DEV_PAGE_CSP).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('/callback is never cached, as in production', async () => {
    const res = await fetch(`${origin}/callback?state=s&code=${'a'.repeat(40)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Content-Security-Policy')).toBe(DEV_PAGE_CSP);
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(await res.text()).toContain('<div id="app"></div>');
  });

  it("the API keeps its own data headers, not the page's", async () => {
    const res = await fetch(`${origin}/api/config`);
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(DATA_HEADERS)) {
      expect(res.headers.get(name), name).toBe(value);
    }
  });
});
