import { describe, expect, it } from 'vitest';
import { explainTokenSet, formatDuration } from './tokenExplain.ts';
import type { TokenSet } from './tokenResponse.ts';

const AT = 1_700_000_000_000;
const LIVE = {
  access_token: '2ff2dfe36322448c6953616740a910be57bbd4ca',
  scope: 'read write read+write',
  refresh_token: '4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a',
};

describe('formatDuration', () => {
  it('adds a rounded human unit', () => {
    expect(formatDuration(31535999)).toBe('31535999 s (≈ 365 days)');
    expect(formatDuration(3600)).toBe('3600 s (≈ 1 hour)');
    expect(formatDuration(600)).toBe('600 s (≈ 10 minutes)');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(7200)).toBe('7200 s (≈ 2 hours)');
    expect(formatDuration(86400)).toBe('86400 s (≈ 1 day)');
  });
});

describe('explainTokenSet', () => {
  const tokens: TokenSet = {
    accessToken: LIVE.access_token,
    refreshToken: LIVE.refresh_token,
    tokenType: 'Bearer',
    expiresIn: 31535999,
    scope: LIVE.scope,
    receivedAt: AT,
    expiresAt: AT + 31535999000,
    extra: { id_token: 'abc', n: 1 },
  };

  it('explains every field, known ones first', () => {
    const fields = explainTokenSet(tokens);
    expect(fields.map((f) => f.name)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'scope',
      'refresh_token',
      'id_token',
      'n',
    ]);
    const by = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(by.expires_in?.value).toBe('31535999 s (≈ 365 days)');
    expect(by.access_token).toMatchObject({ secret: true, known: true, value: LIVE.access_token });
    expect(by.refresh_token?.explanation).toMatch(/rotates/);
    expect(by.scope?.explanation).toMatch(/read write read\+write/);
    expect(by.id_token).toMatchObject({ value: '"abc"', known: false, secret: true });
    expect(by.n).toMatchObject({ value: '1', known: false, secret: false });
    for (const f of fields) expect(f.explanation.length).toBeGreaterThan(20);
  });

  it('says when optional fields were not returned', () => {
    const fields = explainTokenSet({
      ...tokens,
      refreshToken: null,
      scope: null,
      expiresIn: null,
      expiresAt: null,
      extra: {},
    });
    const by = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(by.refresh_token?.value).toBe('');
    expect(by.refresh_token?.explanation).toMatch(/Not returned/);
    expect(by.expires_in?.explanation).toMatch(/Not returned/);
  });
});
