import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, parseBasicAuth } from './app.ts';
import { SimulatorCore } from './state.ts';

const CLIENT = {
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  redirectUri: 'http://127.0.0.1:5173/callback',
};
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:5173; frame-ancestors 'none'; base-uri 'none'";

let core: SimulatorCore;
let server: Hono;

beforeEach(() => {
  core = new SimulatorCore(CLIENT);
  // Mounted exactly as the main server does it.
  server = new Hono();
  server.route('/sim', createSimulator(core));
});

const get = (path: string, headers: Record<string, string> = {}) =>
  server.request(`http://127.0.0.1:5173/sim${path}`, { headers });
const post = (path: string, body: string | FormData, headers: Record<string, string> = FORM) =>
  server.request(`http://127.0.0.1:5173/sim${path}`, { method: 'POST', body, headers });

const authorizeQuery = 'client_id=sim-client&response_type=code';

/** The hidden fields of the consent form, as a browser would submit them. */
function hiddenFields(html: string): URLSearchParams {
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
async function consent(query: string, decision: 'allow' | 'deny' = 'allow') {
  const page = await get(`/oauth2/authorize?${query}`);
  expect(page.status).toBe(200);
  const form = hiddenFields(await page.text());
  form.set('decision', decision);
  return post('/oauth2/authorize', form.toString());
}

async function codeFrom(query = `${authorizeQuery}&scope=read+write&state=s`) {
  const res = await consent(query);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('Location')!).searchParams.get('code')!;
}

async function tokenCall(fields: Record<string, string>, path = '/oauth2/access_token') {
  const res = await post(path, new URLSearchParams(fields).toString());
  return { status: res.status, res, body: (await res.json()) as Record<string, unknown> };
}

const exchangeFields = (code: string) => ({
  grant_type: 'authorization_code',
  client_id: 'sim-client',
  client_secret: 'sim-secret',
  code,
});

function expectPageHeaders(res: Response, csp = CSP) {
  expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('Content-Security-Policy')).toBe(csp);
  expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.headers.get('Cache-Control')).toBe('no-store');
}

describe('GET /oauth2/authorize: consent page', () => {
  it('shows the app, the signed-in demo user, the scopes and the two buttons', async () => {
    const res = await get(`/oauth2/authorize?${authorizeQuery}&scope=read+write&state=abc`);
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<h1 id="title">Authorize Application</h1>');
    expect(html).toContain('PandaDoc simulator');
    expect(html).toContain('<code>sim-client</code>');
    expect(html).toContain('Signed in as Dana Demo · demo@example.com');
    expect(html).toContain('Demo Workspace');
    expect(html).toContain('<code>read</code>: View templates');
    expect(html).toContain('<code>write</code>: Create, send, delete and download documents');
    expect(html).toContain('<form method="post" action="/sim/oauth2/authorize"');
    expect(html).toContain('name="decision" value="allow">Authorize</button>');
    expect(html).toContain('name="decision" value="deny">Deny</button>');
    expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
    expect(Object.fromEntries(hiddenFields(html))).toEqual({
      client_id: 'sim-client',
      response_type: 'code',
      scope: 'read write',
      state: 'abc',
    });
  });

  it('lists only read for a read grant', async () => {
    const html = await (await get(`/oauth2/authorize?${authorizeQuery}`)).text();
    expect(html).toContain('<code>read</code>: View');
    expect(html).not.toContain('<code>write</code>:');
    expect(html).toContain('only <code>read</code> is granted');
  });

  it('HTML-escapes everything echoed', async () => {
    const evil = '"><script>alert(1)</script>\'&';
    const res = await get(`/oauth2/authorize?${authorizeQuery}&state=${encodeURIComponent(evil)}`);
    const html = await res.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;&amp;"');
    expect(hiddenFields(html).get('state')).toBe(evil);
  });

  it('allows only self as form-action when the redirect URI is not http(s)', async () => {
    const sim = new SimulatorCore({ ...CLIENT, redirectUri: 'com.example.app:/cb' });
    const res = await createSimulator(sim).request(`/oauth2/authorize?${authorizeQuery}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toContain("form-action 'self';");
  });

  it('honours a different mount path for the form action', async () => {
    const app = createSimulator(core, { basePath: '/elsewhere/' });
    const html = await (await app.request(`/oauth2/authorize?${authorizeQuery}`)).text();
    expect(html).toContain('action="/elsewhere/oauth2/authorize"');
  });
});

describe('GET /oauth2/authorize: error pages (400, no redirect)', () => {
  it.each([
    ['client_id=nope&response_type=code', 'unauthorized_client', 'An unauthorized client'],
    ['response_type=code', 'unauthorized_client', 'An unauthorized client'],
    ['client_id=sim-client', 'invalid_request', 'No &#39;response_type&#39; supplied.'],
    [
      'client_id=sim-client&response_type=token',
      'unsupported_response_type',
      '&#39;token&#39; is not a supported response type.',
    ],
    [
      `${authorizeQuery}&redirect_uri=${encodeURIComponent('http://127.0.0.1:5173/callback/')}`,
      'invalid_request',
      'The requested redirect didn&#39;t match the client settings.',
    ],
    [`${authorizeQuery}&scope=openid`, 'invalid_request', '&#39;openid&#39; is not a valid scope.'],
    [
      `${authorizeQuery}&scope=read+webhook`,
      'invalid_request',
      '&#39;webhook&#39; is not a valid scope.',
    ],
  ])('%s → %s', async (query, error, description) => {
    const res = await get(`/oauth2/authorize?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('Location')).toBeNull();
    expectPageHeaders(res, CSP.replace(' http://127.0.0.1:5173', ''));
    const html = await res.text();
    expect(html).toContain(`<code>${error}</code>`);
    expect(html).toContain(description);
    expect(html).not.toContain('<form');
  });
});

describe('POST /oauth2/authorize: the decision', () => {
  it('Authorize → 302 {redirect_uri}?state=…&code=<40 hex>', async () => {
    const res = await consent(`${authorizeQuery}&state=xyz`);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toMatch(
      /^http:\/\/127\.0\.0\.1:5173\/callback\?state=xyz&code=[0-9a-f]{40}$/,
    );
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('echoes an empty state= when none was sent', async () => {
    const res = await consent(authorizeQuery);
    expect(res.headers.get('Location')).toMatch(/\/callback\?state=&code=[0-9a-f]{40}$/);
  });

  it('Deny → 302 ?state=…&error=access_denied', async () => {
    const res = await consent(`${authorizeQuery}&state=q`, 'deny');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(
      'http://127.0.0.1:5173/callback?state=q&error=access_denied',
    );
  });

  it('treats a missing decision as a denial', async () => {
    const res = await post('/oauth2/authorize', `${authorizeQuery}&state=q`);
    expect(res.headers.get('Location')).toBe(
      'http://127.0.0.1:5173/callback?state=q&error=access_denied',
    );
  });

  it('re-validates tampered hidden fields and shows the error page', async () => {
    const res = await post(
      '/oauth2/authorize',
      `${authorizeQuery}&redirect_uri=${encodeURIComponent('https://evil.example/')}&decision=allow`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('Location')).toBeNull();
    expect(await res.text()).toContain('didn&#39;t match the client settings');
  });

  it('a JSON POST carries no parameters → unauthorized_client page', async () => {
    const res = await post('/oauth2/authorize', JSON.stringify({ client_id: 'sim-client' }), {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<code>unauthorized_client</code>');
  });

  it.each(['read+write', 'read%2Bwrite', 'read%20write', 'read write'])(
    'scope=%s survives the consent round trip as the full grant',
    async (scope) => {
      const code = await codeFrom(`${authorizeQuery}&scope=${scope}`);
      const { body } = await tokenCall(exchangeFields(code));
      expect(body.scope).toBe('read write read+write');
    },
  );
});

describe('POST /oauth2/access_token', () => {
  it('exchanges a code: 200 JSON, no-store, PandaDoc field order', async () => {
    const { status, res, body } = await tokenCall(exchangeFields(await codeFrom()));
    expect(status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(Object.keys(body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'scope',
      'refresh_token',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 31535999,
      scope: 'read write read+write',
    });
  });

  it('accepts the trailing slash', async () => {
    const { status } = await tokenCall(exchangeFields(await codeFrom()), '/oauth2/access_token/');
    expect(status).toBe(200);
  });

  it('a JSON body yields an empty form → the grant_type error', async () => {
    const res = await post('/oauth2/access_token', JSON.stringify(exchangeFields('x')), {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      '{"error":"invalid_request","error_description":"No \'grant_type\' included in the request."}',
    );
  });

  it('a body without a form content type is ignored too', async () => {
    const res = await post('/oauth2/access_token', 'grant_type=authorization_code', {});
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('reads multipart/form-data', async () => {
    const data = new FormData();
    for (const [k, v] of Object.entries(exchangeFields(await codeFrom()))) data.append(k, v);
    const res = await post('/oauth2/access_token', data, {});
    expect(res.status).toBe(200);
  });

  it.each(['/oauth2/access_token', '/oauth2/access_token/'])('GET %s → 400', async (path) => {
    const res = await get(`${path}?grant_type=authorization_code`);
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.text()).toBe(
      '{"error":"invalid_request","error_description":"Only POST requests allowed."}',
    );
  });

  it('checks grant_type before the client', async () => {
    const missing = await tokenCall({ client_id: 'bad', client_secret: 'bad', code: 'x' });
    expect(missing).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: "No 'grant_type' included in the request.",
      },
    });
    const unknown = await tokenCall({ grant_type: 'password', client_id: 'bad' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    const badClient = await tokenCall({ grant_type: 'authorization_code', client_id: 'bad' });
    expect(badClient).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('authenticates with HTTP Basic', async () => {
    const code = await codeFrom();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code }).toString();
    const basic = (s: string) => ({ ...FORM, Authorization: `Basic ${btoa(s)}` });
    const wrong = await post('/oauth2/access_token', body, basic('sim-client:nope'));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_client' });
    const ok = await post('/oauth2/access_token', body, basic('sim-client:sim-secret'));
    expect(ok.status).toBe(200);
  });

  it('ignores an API-Key Authorization header on token calls (SDK leftover)', async () => {
    const res = await post(
      '/oauth2/access_token',
      new URLSearchParams(exchangeFields(await codeFrom())).toString(),
      { ...FORM, Authorization: 'API-Key 3039ba033eb1410caa0a2227158d63c9d6502cd8' },
    );
    expect(res.status).toBe(200);
  });

  it('reused code → invalid_grant; rotation kills the old pair', async () => {
    const code = await codeFrom();
    const first = (await tokenCall(exchangeFields(code))).body;
    expect(await tokenCall(exchangeFields(code))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const refreshFields = {
      grant_type: 'refresh_token',
      client_id: 'sim-client',
      client_secret: 'sim-secret',
      refresh_token: String(first.refresh_token),
    };
    const second = await tokenCall(refreshFields);
    expect(second.status).toBe(200);
    expect(second.body.scope).toBe('read write read+write');
    expect(await tokenCall(refreshFields)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const old = await get('/public/v1/members/current', {
      Authorization: `Bearer ${first.access_token}`,
    });
    expect(old.status).toBe(401);
  });
});

describe('GET /public/v1/members/current', () => {
  async function accessToken() {
    return String((await tokenCall(exchangeFields(await codeFrom()))).body.access_token);
  }

  it('200 with the demo member for a valid Bearer token', async () => {
    const res = await get('/public/v1/members/current', {
      Authorization: `Bearer ${await accessToken()}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    const body = await res.json();
    expect(body).toMatchObject({
      email: 'demo@example.com',
      first_name: 'Dana',
      last_name: 'Demo',
      workspace_name: 'Demo Workspace',
      email_verified: true,
    });
  });

  it('401 authentication_error without valid credentials; 403 when configured', async () => {
    const expected =
      '{"type":"authentication_error","detail":"Authentication credentials were not provided."}';
    const none = await get('/public/v1/members/current');
    expect(none.status).toBe(401);
    expect(await none.text()).toBe(expected);
    const unknown = await get('/public/v1/members/current', {
      Authorization: `Bearer ${'a'.repeat(40)}`,
    });
    expect(unknown.status).toBe(401);
    core.settings.membersAuthErrorStatus = 403;
    const forbidden = await get('/public/v1/members/current');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toBe(expected);
  });

  it('emails_verified setting renames the flag', async () => {
    core.settings.emailVerifiedField = 'emails_verified';
    const res = await get('/public/v1/members/current', {
      Authorization: `Bearer ${await accessToken()}`,
    });
    const text = await res.text();
    expect(text).toContain('"workspace_name":"Demo Workspace","emails_verified":true,"role"');
    expect(text).not.toContain('"email_verified"');
  });
});

describe('parseBasicAuth', () => {
  it('decodes id:secret and splits at the first colon', () => {
    expect(parseBasicAuth(`Basic ${btoa('a:b:c')}`)).toEqual({ id: 'a', secret: 'b:c' });
    expect(parseBasicAuth(`basic ${btoa('a:')}`)).toEqual({ id: 'a', secret: '' });
  });

  it('ignores other schemes and malformed values', () => {
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('API-Key abc')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${btoa('nocolon')}`)).toBeUndefined();
    expect(parseBasicAuth('Basic !!!')).toBeUndefined();
  });
});

describe('failure drills, in-process (no socket to cut)', () => {
  it('truncated_json gives a complete answer with a cut body; reset a body that fails', async () => {
    core.settings.fault = 'truncated_json';
    const cut = await post('/oauth2/access_token', 'grant_type=x');
    expect(cut.status).toBe(200);
    const text = await cut.text();
    expect(text.startsWith('{"access_token":"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    core.settings.fault = 'reset';
    const reset = await get('/public/v1/members/current');
    await expect(reset.text()).rejects.toThrow(/ECONNRESET/);
  });

  it('a fault hits each call once, on the trailing-slash path too, and faultOnce spends it', async () => {
    Object.assign(core.settings, { fault: 'rate_limited', faultTarget: 'token', faultOnce: true });
    const members = await get('/public/v1/members/current');
    expect(members.status).toBe(401);
    const throttled = await post('/oauth2/access_token/', 'grant_type=x');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('13');
    expect(core.settings.fault).toBe('none');
    expect((await post('/oauth2/access_token/', 'grant_type=x')).status).toBe(400);
  });

  it('latency delays the answer; the authorize pages are never delayed or faulted', async () => {
    Object.assign(core.settings, { latencyMs: 80, fault: 'server_error' });
    const t0 = performance.now();
    expect((await get('/public/v1/members/current')).status).toBe(500);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
    const t1 = performance.now();
    expect((await get(`/oauth2/authorize?${authorizeQuery}`)).status).toBe(200);
    expect(performance.now() - t1).toBeLessThan(75);
  });
});

describe('Date header', () => {
  it('follows the simulator clock, so a moved clock is visible to clients', async () => {
    const core = new SimulatorCore({
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'http://127.0.0.1:5173/callback',
    });
    const app = createSimulator(core);
    core.advanceClock(11 * 60_000);
    const res = await app.request('/oauth2/access_token', { method: 'POST' });
    const skew = Date.parse(res.headers.get('date')!) - Date.now();
    expect(skew).toBeGreaterThan(10 * 60_000);
    expect(skew).toBeLessThan(12 * 60_000);
  });
});
