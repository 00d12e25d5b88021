/**
 * The simulator's HTTP app as its tests drive it: mounted at /sim like the main server does, with
 * the calls a browser and a client make. Test code only; `core` and `server` are live bindings,
 * renewed before each test by `useSimulator()`.
 */
import { Hono } from 'hono';
import { beforeEach, expect } from 'vitest';
import { createSimulator } from './app.ts';
import { SimulatorCore } from './state.ts';

export const CLIENT = {
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  redirectUri: 'http://127.0.0.1:5173/callback',
};
export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
export const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:5173; frame-ancestors 'none'; base-uri 'none'";

export let core: SimulatorCore;
export let server: Hono;

/** A fresh core, mounted at /sim as the main server mounts it, before each test of the calling file. */
export function useSimulator(): void {
  beforeEach(() => {
    core = new SimulatorCore(CLIENT);
    // Mounted exactly as the main server does it.
    server = new Hono();
    server.route('/sim', createSimulator(core));
  });
}

export const get = (path: string, headers: Record<string, string> = {}) =>
  server.request(`http://127.0.0.1:5173/sim${path}`, { headers });
export const post = (
  path: string,
  body: string | FormData,
  headers: Record<string, string> = FORM,
) => server.request(`http://127.0.0.1:5173/sim${path}`, { method: 'POST', body, headers });

export const authorizeQuery = 'client_id=sim-client&response_type=code';

/** The hidden fields of the consent form, as a browser would submit them. */
export function hiddenFields(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const value = m[2]
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    form.append(m[1], value);
  }
  return form;
}

/** GET the consent page, then click a button; returns the POST response. */
export async function consent(query: string, decision: 'allow' | 'deny' = 'allow') {
  const page = await get(`/oauth2/authorize?${query}`);
  expect(page.status).toBe(200);
  const form = hiddenFields(await page.text());
  form.set('decision', decision);
  return post('/oauth2/authorize', form.toString());
}

export async function codeFrom(query = `${authorizeQuery}&scope=read+write&state=s`) {
  const res = await consent(query);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('Location')!).searchParams.get('code')!;
}

export async function tokenCall(fields: Record<string, string>, path = '/oauth2/access_token') {
  const res = await post(path, new URLSearchParams(fields).toString());
  return { status: res.status, res, body: (await res.json()) as Record<string, unknown> };
}

export const exchangeFields = (code: string) => ({
  grant_type: 'authorization_code',
  client_id: 'sim-client',
  client_secret: 'sim-secret',
  code,
});

export function expectPageHeaders(res: Response, csp = CSP) {
  expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('Content-Security-Policy')).toBe(csp);
  expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.headers.get('Cache-Control')).toBe('no-store');
}
