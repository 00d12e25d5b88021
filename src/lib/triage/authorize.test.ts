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
