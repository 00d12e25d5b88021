/**
 * "Acme CRM": a small customer-style web app for scripts/record-har-fixtures.ts. It connects to
 * PandaDoc the way real customer code often does, bugs included, so the recorded HAR files show
 * what a support engineer receives. It listens on 127.0.0.1 only and proxies its token and API
 * calls (same-origin for the page) to the debugger's pass-through, a non-browser client there.
 *
 * Modes: `double-callback`: the callback page reloads itself once after exchanging, so the same
 * code is exchanged twice (invalid_grant). `refresh-race`: the callback exchanges once, then the
 * dashboard's two widgets refresh in parallel with one refresh token, and a widget keeps using the
 * access token the winning refresh replaced.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { UpstreamExchange } from '../src/lib/api/wire.ts';

export type CustomerMode = 'double-callback' | 'refresh-race';

export interface CustomerAppOptions {
  port: number;
  /** The debugger's origin: its pass-through and simulator. */
  upstream: string;
  clientId: string;
  clientSecret: string;
  mode: CustomerMode;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The app's own session cookie: a JWT, as many apps use (and a secret a HAR must not leak). */
function sessionJwt(user: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: user, iat: 1764331200, exp: 1764417600 }));
  const sig = createHmac('sha256', 'acme-session-key').update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="14" fill="#2b6cb0"/></svg>`;
const CSS = `body{font:16px system-ui;margin:2rem} .out{white-space:pre-wrap}`;
// A 1×1 transparent PNG: binary, so recorders store it base64-encoded.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Acme CRM</title>
<link rel="stylesheet" href="/static/app.css"></head><body><img src="/static/logo.svg" alt="Acme">
<h1>${title}</h1>${body}<img src="/analytics/pixel.png" alt="">
<script>${script}</script></body></html>`;
}

/** Browser code shared by the callback and dashboard pages: the customer's, bugs and all. */
function commonScript(o: CustomerAppOptions): string {
  return `
const CLIENT_ID = ${JSON.stringify(o.clientId)};
const CLIENT_SECRET = ${JSON.stringify(o.clientSecret)}; // bug: a secret shipped to the browser
const out = document.querySelector('.out');
const log = (line) => { out.textContent += line + '\\n'; };
async function token(fields, basic) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) headers.Authorization = 'Basic ' + btoa(CLIENT_ID + ':' + CLIENT_SECRET);
  const res = await fetch('/oauth2/access_token', { method: 'POST', headers, body: new URLSearchParams(fields) });
  return { status: res.status, body: await res.json() };
}
async function me(accessToken) {
  const res = await fetch('/public/v1/members/current', { headers: { Authorization: 'Bearer ' + accessToken } });
  await res.json();
  return res.status;
}`;
}

function callbackScript(mode: CustomerMode): string {
  return `
async function main() {
  const q = new URLSearchParams(location.search);
  const result = await token({ grant_type: 'authorization_code', client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET, code: q.get('code'), redirect_uri: location.origin + '/callback' });
  log('exchange ' + result.status + ' ' + (result.body.error || 'ok'));
  if (result.status === 200) localStorage.setItem('pd', JSON.stringify(result.body));
  ${
    mode === 'double-callback'
      ? `// bug: "re-render" after saving the tokens loads the callback URL again, code and all.
  if (!sessionStorage.getItem('again')) {
    sessionStorage.setItem('again', '1');
    setTimeout(() => location.replace(location.href), 500);
    return;
  }
  const saved = JSON.parse(localStorage.getItem('pd'));
  log('members ' + (await me(saved.access_token)));
  log('done');`
      : `setTimeout(() => location.assign('/dashboard'), 500);`
  }
}
main();`;
}

const DASHBOARD_SCRIPT = `
async function main() {
  const saved = JSON.parse(localStorage.getItem('pd'));
  log('members ' + (await me(saved.access_token)));
  // bug: each widget refreshes on its own, in parallel, with the same refresh token.
  const refresh = () => token({ grant_type: 'refresh_token', refresh_token: saved.refresh_token }, true);
  const results = await Promise.all([refresh(), refresh()]);
  for (const r of results) log('refresh ' + r.status + ' ' + (r.body.error || 'ok'));
  // bug: a widget keeps the access token it had before the refresh.
  log('members with the old token ' + (await me(saved.access_token)));
  const fresh = results.find((r) => r.status === 200);
  if (fresh) log('members with the new token ' + (await me(fresh.body.access_token)));
  log('done');
}
main();`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface CustomerApp {
  server: Server;
  /** What Acme's backend sent upstream and got back: what a proxy beside it (mitmproxy) sees. */
  backend: UpstreamExchange[];
}

/** Starts Acme CRM; resolves once it listens. */
export function startCustomerApp(o: CustomerAppOptions): Promise<CustomerApp> {
  const backend: UpstreamExchange[] = [];
  const common = commonScript(o);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${o.port}`);
    const send = (status: number, type: string, body: string | Buffer, extra = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
      res.end(body);
    };
    const html = (body: string) => send(200, 'text/html; charset=utf-8', body);
    if (url.pathname === '/static/logo.svg') return send(200, 'image/svg+xml', LOGO);
    if (url.pathname === '/static/app.css') return send(200, 'text/css', CSS);
    if (url.pathname === '/analytics/pixel.png') return send(200, 'image/png', PIXEL);
    if (url.pathname === '/' && req.method === 'GET') {
      const authorize = new URL('/sim/oauth2/authorize', o.upstream);
      authorize.search = new URLSearchParams({
        client_id: o.clientId,
        redirect_uri: `http://127.0.0.1:${o.port}/callback`,
        scope: 'read+write',
        response_type: 'code',
        state: 'acme-7Qx2fP',
      }).toString();
      const loggedIn = /acme_session=/.test(req.headers.cookie ?? '');
      return html(
        loggedIn
          ? page('Integrations', `<a href="${authorize.href}">Connect PandaDoc</a>`)
          : page(
              'Sign in',
              `<form method="post" action="/login"><label>Email <input name="username"></label>
<label>Password <input name="password" type="password"></label><button>Sign in</button></form>`,
            ),
      );
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const cookie = `acme_session=${sessionJwt(form.get('username') ?? '')}; Path=/; HttpOnly; SameSite=Lax`;
      return send(303, 'text/plain', 'See /', { Location: '/', 'Set-Cookie': cookie });
    }
    if (url.pathname === '/callback') {
      return html(
        page('Connecting PandaDoc', '<p class="out"></p>', common + callbackScript(o.mode)),
      );
    }
    if (url.pathname === '/dashboard') {
      return html(page('Dashboard', '<p class="out"></p>', common + DASHBOARD_SCRIPT));
    }
    // The customer's backend: same path as PandaDoc's, forwarded to the debugger's pass-through.
    if (url.pathname === '/oauth2/access_token' || url.pathname === '/public/v1/members/current') {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const target = new URL(url.pathname, o.upstream);
      const startedAt = Date.now();
      const answer = await fetch(target, { method: req.method, headers, body });
      const text = await answer.text();
      backend.push({
        startedAt,
        durationMs: Date.now() - startedAt,
        request: {
          method: req.method ?? 'GET',
          url: target.href,
          headers: Object.entries(headers),
          body: body ?? null,
        },
        response: {
          status: answer.status,
          statusText: answer.statusText,
          headers: [...answer.headers],
          body: text,
          truncated: false,
        },
        failure: null,
      });
      return send(answer.status, answer.headers.get('content-type') ?? 'text/plain', text);
    }
    send(404, 'text/plain', 'Not found');
  });
  return new Promise((resolve) =>
    server.listen(o.port, '127.0.0.1', () => resolve({ server, backend })),
  );
}
