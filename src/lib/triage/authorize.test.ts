import { describe, expect, it } from 'vitest';
import { SimulatorCore } from '../../server/simulator/state.ts';
import { encodeScopeForQuery } from '../oauth/authorizeUrl.ts';
import { triageAuthorize } from './authorize.ts';

const registered = 'http://127.0.0.1:5173/callback';

/** What the real simulator says of the same authorize request. */
function simulatorSays(redirectUri: string, scope: string) {
  const core = new SimulatorCore({ clientId: 'c', clientSecret: 's', redirectUri: registered });
  // As the app puts it in the URL, and the simulator reads it back out.
  const query = new URLSearchParams(
    `client_id=c&response_type=code&redirect_uri=${encodeURIComponent(redirectUri)}&scope=${encodeScopeForQuery(scope)}`,
  );
  return core.authorize(query);
}

describe('triageAuthorize', () => {
  it('is silent when the simulator would show the consent screen', () => {
    expect(simulatorSays(registered, 'read+write').kind).toBe('consent');
    expect(
      triageAuthorize({
        redirectUri: registered,
        scope: 'read+write',
        registeredRedirectUri: registered,
      }),
    ).toEqual([]);
  });

  it('names an unknown scope the simulator rejects with an error page', () => {
    const sim = simulatorSays(registered, 'read+write openid');
    expect(sim).toMatchObject({ kind: 'error', description: "'openid' is not a valid scope." });
    const [d] = triageAuthorize({ redirectUri: registered, scope: 'read+write openid' });
    expect(d.rule).toBe('bad_scope_name');
    expect(d.title).toContain('openid');
    expect(d.cause).toContain("'openid' is not a valid scope.");
  });

  it('accepts every encoding of read+write', () => {
    for (const scope of ['read+write', 'read%2Bwrite', 'read write', 'read%20write']) {
      expect(simulatorSays(registered, scope).kind).toBe('consent');
      expect(triageAuthorize({ redirectUri: registered, scope })).toEqual([]);
    }
  });

  it('names the exact difference of a redirect_uri the simulator refuses', () => {
    expect(simulatorSays(`${registered}/`, 'read').kind).toBe('error');
    const [d] = triageAuthorize({
      redirectUri: `${registered}/`,
      scope: 'read',
      registeredRedirectUri: registered,
    });
    expect(d.rule).toBe('redirect_uri_mismatch');
    expect(d.cause).toMatch(/trailing slash/i);
  });

  it('says nothing of the redirect_uri when the registered one is unknown (real PandaDoc)', () => {
    expect(triageAuthorize({ redirectUri: 'https://x.example/cb/', scope: 'read' })).toEqual([]);
  });
});

describe('triageAuthorize: what it says, word for word', () => {
  it('names every unknown scope, quotes the first as PandaDoc would, and shows the split', () => {
    expect(triageAuthorize({ redirectUri: registered, scope: 'read+openid+webhook' })).toEqual([
      {
        rule: 'bad_scope_name',
        severity: 'error',
        title: 'PandaDoc does not know the scope “openid”, “webhook”',
        cause:
          "PandaDoc's scopes are read, write and read+write. It answers this authorize request with an error page (\"'openid' is not a valid scope.\") and never redirects back.",
        next: 'Ask for read+write (or read) only.',
        evidence: ['scope as sent, form-decoded and split on spaces: read, openid, webhook'],
        docs: 'https://developers.pandadoc.com/reference/authentication-process',
      },
    ]);
  });

  it('says how the redirect URI differs and what to use instead', () => {
    const sent = `${registered}/`;
    expect(
      triageAuthorize({ redirectUri: sent, scope: 'read', registeredRedirectUri: registered }),
    ).toEqual([
      {
        rule: 'redirect_uri_mismatch',
        severity: 'error',
        title: 'This redirect_uri does not match the one registered for the app',
        cause:
          'PandaDoc compares them character by character and shows an error page on a mismatch, with no redirect back. Trailing slash: only the first ends the path with "/".',
        next: `Use exactly ${registered}, or change the app's settings.`,
        evidence: [`sent: ${sent}`, `registered: ${registered}`],
        docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2',
      },
    ]);
  });

  it('does not compare when no registered URI is known, and reports both problems together', () => {
    expect(triageAuthorize({ redirectUri: 'x', scope: 'read' })).toEqual([]);
    const both = triageAuthorize({
      redirectUri: 'x',
      scope: 'openid',
      registeredRedirectUri: registered,
    });
    expect(both.map((d) => d.rule)).toEqual(['bad_scope_name', 'redirect_uri_mismatch']);
  });
});
