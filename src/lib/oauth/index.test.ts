import { describe, expect, it } from 'vitest';
import * as oauth from './index.ts';

describe('index', () => {
  it('re-exports the public API', () => {
    for (const name of [
      'ENVIRONMENT_IDS',
      'environmentInfo',
      'isEnvironmentId',
      'randomUrlSafe',
      'createState',
      'createCodeVerifier',
      'isValidCodeVerifier',
      'codeChallengeS256',
      'buildAuthorizeUrl',
      'parseCallbackInput',
      'buildTokenForm',
      'encodeForm',
      'SECRET_FIELDS',
      'parseTokenResponse',
      'explainTokenSet',
      'KNOWN_SCOPES',
      'splitRequestedScope',
      'grantedScopeNames',
      'describeScope',
      'explainScopeEncodings',
      'parseMemberResponse',
    ]) {
      expect(oauth, name).toHaveProperty(name);
    }
  });

  it('runs a whole flow end to end against canned answers', async () => {
    const env = oauth.environmentInfo('simulator', 'http://127.0.0.1:5173');
    const state = oauth.createState();
    const codeVerifier = oauth.createCodeVerifier();
    const { url } = oauth.buildAuthorizeUrl({
      authorizeEndpoint: env.authorizeEndpoint,
      clientId: 'cid',
      redirectUri: 'http://127.0.0.1:5173/callback',
      scope: 'read+write',
      state,
      codeChallenge: await oauth.codeChallengeS256(codeVerifier),
    });
    const pending = {
      profileId: 'p',
      state,
      codeVerifier,
      clientId: 'cid',
      redirectUri: 'http://127.0.0.1:5173/callback',
      authorizeUrl: url,
      createdAt: 0,
    };
    const code = 'a'.repeat(40);
    const cb = oauth.parseCallbackInput(
      `http://127.0.0.1:5173/callback?state=${state}&code=${code}`,
      pending,
    );
    expect(cb).toMatchObject({ ok: true, stateCheck: 'matched', code });
    const body = oauth.encodeForm(
      oauth.buildTokenForm({
        grantType: 'authorization_code',
        clientId: 'cid',
        clientSecret: 's',
        code,
      }),
    );
    expect(body).toBe(`grant_type=authorization_code&client_id=cid&client_secret=s&code=${code}`);
  });
});
