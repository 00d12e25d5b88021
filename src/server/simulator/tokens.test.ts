/** The token endpoint on the simulator core: PandaDoc's check order, error bodies, success and scope. */
import { describe, expect, it } from 'vitest';
import { EXPIRES_IN } from './state.ts';
import { base, codeFor, core, exchange, HEX40, refresh, tokensFor, useCore } from './testCore.ts';

useCore();

describe('token endpoint: check order and error bodies', () => {
  it('1. no grant_type comes first, even with a bad client', () => {
    const body = {
      error: 'invalid_request',
      error_description: "No 'grant_type' included in the request.",
    };
    expect(core.token(new URLSearchParams())).toEqual({ status: 400, body });
    expect(core.token(new URLSearchParams('client_id=bad&client_secret=bad&code=x'))).toEqual({
      status: 400,
      body,
    });
  });

  it('2. unknown grant_type before client authentication', () => {
    for (const grantType of ['password', 'client_credentials', '']) {
      expect(core.token(new URLSearchParams({ grant_type: grantType, client_id: 'bad' }))).toEqual({
        status: 400,
        body: { error: 'unsupported_grant_type' },
      });
    }
  });

  it('3. client authentication before the code (400, not 401)', () => {
    const invalid = { status: 400, body: { error: 'invalid_client' } };
    for (const form of [
      'grant_type=authorization_code',
      'grant_type=authorization_code&client_id=sim-client',
      'grant_type=authorization_code&client_id=sim-client&client_secret=wrong',
      'grant_type=authorization_code&client_id=nope&client_secret=sim-secret',
      'grant_type=refresh_token&client_id=sim-client&client_secret=',
    ]) {
      expect(core.token(new URLSearchParams(form))).toEqual(invalid);
    }
  });

  it('accepts HTTP Basic credentials, falling back to the body when they are wrong', () => {
    const code = codeFor();
    const form = new URLSearchParams({ grant_type: 'authorization_code', code });
    expect(core.token(form, { id: 'sim-client', secret: 'wrong' }).body).toEqual({
      error: 'invalid_client',
    });
    expect(core.token(form, { id: 'sim-client', secret: 'sim-secret' }).status).toBe(200);
    const code2 = codeFor();
    const withBody = new URLSearchParams({
      grant_type: 'authorization_code',
      code: code2,
      client_id: 'sim-client',
      client_secret: 'sim-secret',
    });
    expect(core.token(withBody, { id: 'x', secret: 'y' }).status).toBe(200);
  });

  it('4. authorization_code: missing code → bare invalid_request', () => {
    expect(exchange('')).toEqual({ status: 400, body: { error: 'invalid_request' } });
  });

  it('4. unknown code → invalid_grant, checked before the scope', () => {
    expect(exchange('0'.repeat(40))).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(exchange('0'.repeat(40), { scope: 'openid' }).body).toEqual({ error: 'invalid_grant' });
  });

  it('4. bad scope name → invalid_request with description, before invalid_scope', () => {
    const code = codeFor(`${base}&scope=read`);
    expect(exchange(code, { scope: 'write openid' })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: "'openid' is not a valid scope." },
    });
  });

  it('4. scope wider than the grant → invalid_scope; the code survives the rejection', () => {
    const code = codeFor(`${base}&scope=read`);
    for (const scope of ['read+write', 'write', 'read write']) {
      expect(exchange(code, { scope })).toEqual({ status: 400, body: { error: 'invalid_scope' } });
    }
    expect(exchange(code).status).toBe(200);
  });

  it('5. refresh_token: missing → invalid_request; unknown → invalid_grant', () => {
    expect(refresh('')).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(refresh('f'.repeat(40))).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('token endpoint: success and scope', () => {
  it('returns the fields in PandaDoc order with 40-hex tokens', () => {
    const result = exchange(codeFor());
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'scope',
      'refresh_token',
    ]);
    expect(result.body.access_token).toMatch(HEX40);
    expect(result.body.refresh_token).toMatch(HEX40);
    expect(result.body.access_token).not.toBe(result.body.refresh_token);
    expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: EXPIRES_IN });
    expect(EXPIRES_IN).toBe(31535999);
  });

  it.each([
    ['read+write', 'read write read+write'],
    ['read%2Bwrite', 'read write read+write'],
    ['read%20write', 'read write read+write'],
    ['read write', 'read write read+write'],
    ['write', 'read write read+write'],
    ['read', 'read'],
  ])('authorize scope=%s → token scope "%s"', (scope, expected) => {
    expect(tokensFor(`${base}&scope=${scope}`).scope).toBe(expected);
  });

  it('omitted authorize scope → "read"', () => {
    expect(tokensFor(base).scope).toBe('read');
  });

  it('accepts the four scope encodings at the token endpoint too', () => {
    for (const raw of ['read+write', 'read%2Bwrite', 'read%20write', 'read write']) {
      const form = new URLSearchParams(
        `grant_type=authorization_code&client_id=sim-client&client_secret=sim-secret&code=${codeFor()}&scope=${raw}`,
      );
      expect(core.token(form).body.scope).toBe('read write read+write');
    }
  });

  it('a narrower token scope is allowed but the token keeps the full grant', () => {
    expect(exchange(codeFor(), { scope: 'read' }).body.scope).toBe('read write read+write');
  });

  it('scopeStyle "spec" reports "read+write"', () => {
    core.settings.scopeStyle = 'spec';
    expect(tokensFor().scope).toBe('read+write');
    expect(tokensFor(`${base}&scope=read`).scope).toBe('read');
  });

  it('ignores a redirect_uri sent to the token endpoint', () => {
    expect(exchange(codeFor(), { redirect_uri: 'https://whatever.example/' }).status).toBe(200);
  });
});
