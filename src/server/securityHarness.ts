/**
 * Shared by the server's attack suites (guards.*, upstreams.allowlist, bounds, listen.slow,
 * log.secrets, config): the server in-process, a recording fetch, one request of every kind that
 * makes it act, and a throwaway dist/. Test code only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServerApp } from './app.ts';
import { DEFAULT_SIM_CLIENT_ID, loadConfig } from './config.ts';

export const ORIGIN = 'http://127.0.0.1:5173';
export const config = loadConfig({});

/** The only URLs the server may ever fetch. */
export const FIXED_UPSTREAMS = new Set([
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
export function onFixedUpstream(url: string): boolean {
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

export interface Spy {
  urls: string[];
  inits: RequestInit[];
  impl: typeof fetch;
}

/** A fetch that records what the server asked for and answers a fixed JSON body. */
export function spyFetch(body = '{"access_token":"x"}', status = 200): Spy {
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

export function setup(options: { fetchImpl?: typeof fetch; distDir?: string; env?: object } = {}) {
  const cfg = options.env ? loadConfig(options.env as Record<string, string>) : config;
  const { app, simulator } = createServerApp({ config: cfg, ...options });
  const call = (path: string, init: RequestInit = {}) => app.request(`${ORIGIN}${path}`, init);
  return { app, simulator, call };
}

export const JSON_HEADERS = { 'Content-Type': 'application/json' };
export const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded' };
export const tokenBody = JSON.stringify({
  environment: 'simulator',
  fields: [
    ['grant_type', 'authorization_code'],
    ['client_id', DEFAULT_SIM_CLIENT_ID],
    ['code', 'a'.repeat(40)],
  ],
});

/** One request of every kind that makes the server do something, for blanket assertions. */
export const ACTIVE_REQUESTS: [string, RequestInit][] = [
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
  ['/us/public/v1/members/current', { headers: { Authorization: `Bearer ${'c'.repeat(40)}` } }],
  ['/eu/oauth2/access_token', {}],
  ['/sim/oauth2/authorize', { method: 'POST', body: 'decision=allow', headers: FORM_HEADERS }],
  ['/sim/oauth2/access_token', { method: 'POST', body: 'grant_type=x', headers: FORM_HEADERS }],
  ['/sim/public/v1/members/current', {}],
  ['/sim/_control', {}],
  ['/sim/_control', { method: 'PUT', body: '{"fault":"html"}', headers: JSON_HEADERS }],
  ['/sim/_control/reset', { method: 'POST' }],
  ['/sim/_control/advance-clock', { method: 'POST', body: '{"ms":1}', headers: JSON_HEADERS }],
];

export const withHeaders = (init: RequestInit, extra: Record<string, string>): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), ...extra },
});

let distPath: string | undefined;
/** A temporary dist/ with an index.html and one asset, created once. */
export async function distDir(): Promise<string> {
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

/** Removes the temporary dist/ (each file that uses distDir() runs it in afterAll). */
export function removeDistDir(): void {
  if (distPath) rmSync(distPath, { recursive: true, force: true });
  distPath = undefined;
}
