import { describe, expect, it } from 'vitest';
import { buildTokenForm, encodeForm, SECRET_FIELDS } from './tokenRequest.ts';

describe('buildTokenForm', () => {
  it('orders the authorization_code fields', () => {
    const form = buildTokenForm({
      grantType: 'authorization_code',
      clientId: 'cid',
      clientSecret: 'sec',
      code: 'abc',
      scope: 'read+write',
      redirectUri: 'http://127.0.0.1:5173/callback',
    });
    expect(form).toEqual([
      ['grant_type', 'authorization_code'],
      ['client_id', 'cid'],
      ['client_secret', 'sec'],
      ['code', 'abc'],
      ['scope', 'read+write'],
      ['redirect_uri', 'http://127.0.0.1:5173/callback'],
    ]);
  });

  it('omits empty optional fields', () => {
    const form = buildTokenForm({
      grantType: 'authorization_code',
      clientId: 'cid',
      clientSecret: 'sec',
      code: 'abc',
      scope: '',
      redirectUri: '',
    });
    expect(form.map(([n]) => n)).toEqual(['grant_type', 'client_id', 'client_secret', 'code']);
  });

  it('builds a refresh_token grant', () => {
    expect(
      buildTokenForm({
        grantType: 'refresh_token',
        clientId: 'c',
        clientSecret: 's',
        refreshToken: 'r',
        scope: 'read',
      }),
    ).toEqual([
      ['grant_type', 'refresh_token'],
      ['client_id', 'c'],
      ['client_secret', 's'],
      ['refresh_token', 'r'],
      ['scope', 'read'],
    ]);
  });
});

describe('encodeForm', () => {
  it('form-encodes like URLSearchParams', () => {
    expect(
      encodeForm([
        ['scope', 'read write'],
        ['s2', 'read+write'],
        ['redirect_uri', 'http://x/cb?a=1&b=2'],
      ]),
    ).toBe('scope=read+write&s2=read%2Bwrite&redirect_uri=http%3A%2F%2Fx%2Fcb%3Fa%3D1%26b%3D2');
  });

  it('round-trips through URLSearchParams', () => {
    const body = encodeForm([['client_secret', 'a+b c/=&é']]);
    expect(new URLSearchParams(body).get('client_secret')).toBe('a+b c/=&é');
  });
});

describe('SECRET_FIELDS', () => {
  it('lists the secrets', () => {
    expect([...SECRET_FIELDS].sort()).toEqual([
      'access_token',
      'client_secret',
      'code',
      'refresh_token',
    ]);
    expect(SECRET_FIELDS.has('client_id')).toBe(false);
  });
});
