/** The simulator over HTTP: the consent page, its error pages and the decision. */
import { describe, expect, it } from 'vitest';
import { SimulatorCore } from './state.ts';
import { createSimulator } from './app.ts';
import {
  authorizeQuery,
  CLIENT,
  codeFrom,
  consent,
  core,
  CSP,
  exchangeFields,
  expectPageHeaders,
  get,
  hiddenFields,
  post,
  tokenCall,
  useSimulator,
} from './testApp.ts';

useSimulator();

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
