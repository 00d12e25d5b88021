import { describe, expect, it } from 'vitest';
import {
  buildTokenForm,
  encodeForm,
  maskValue,
  maskedForm,
  SECRET_FIELDS,
} from './tokenRequest.ts';

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

describe('maskValue', () => {
  it('keeps 4 + 4 characters of long values and notes the length', () => {
    expect(maskValue('2ff2dfe36322448c6953616740a910be57bbd4ca')).toBe('2ff2…d4ca (40 chars)');
    expect(maskValue('abcdefghijkl')).toBe('abcd…ijkl (12 chars)');
  });

  it('hides short values completely', () => {
    expect(maskValue('abcdefghijk')).toBe('••••');
    expect(maskValue('x')).toBe('••••');
    expect(maskValue('')).toBe('(empty)');
  });

  it('never reveals more than 8 characters of the value', () => {
    for (let n = 1; n < 80; n++) {
      const value = 'Q'.repeat(n);
      const shown = maskValue(value).replace(/ \(\d+ chars\)$/, '');
      expect((shown.match(/Q/g) ?? []).length).toBeLessThanOrEqual(8);
    }
  });
});

describe('maskedForm', () => {
  it('masks only the secret fields', () => {
    const masked = maskedForm([
      ['client_id', 'visible-client-id'],
      ['client_secret', 'supersecretvalue123'],
    ]);
    expect(masked).toEqual([
      ['client_id', 'visible-client-id'],
      ['client_secret', 'supe…e123 (19 chars)'],
    ]);
  });
});
