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

describe('explainTokenSet: every row exactly', () => {
  const base: TokenSet = {
    accessToken: LIVE.access_token,
    refreshToken: LIVE.refresh_token,
    tokenType: 'Bearer',
    expiresIn: 3600,
    scope: 'read',
    receivedAt: AT,
    expiresAt: AT + 3_600_000,
    extra: {},
  };

  it('gives each known field its secrecy, value and meaning', () => {
    expect(explainTokenSet(base)).toEqual([
      {
        name: 'access_token',
        value: LIVE.access_token,
        explanation: expect.stringMatching(
          /^The key to the API: send it as "Authorization: Bearer <token>"\. PandaDoc cannot revoke it/,
        ),
        secret: true,
        known: true,
      },
      {
        name: 'token_type',
        value: 'Bearer',
        explanation: expect.stringMatching(/^Bearer: whoever holds the token can use it/),
        secret: false,
        known: true,
      },
      {
        name: 'expires_in',
        value: '3600 s (≈ 1 hour)',
        explanation: `Seconds the access token stays valid, counted from the response; PandaDoc gives 31535999 s, one year. From when it arrived, that is ${new Date(AT + 3_600_000).toLocaleString()}.`,

        secret: false,
        known: true,
      },
      {
        name: 'scope',
        value: 'read',
        explanation: expect.stringMatching(/^What the token may do\. PandaDoc names every scope/),
        secret: false,
        known: true,
      },
      {
        name: 'refresh_token',
        value: LIVE.refresh_token,
        explanation: expect.stringMatching(
          /^Trades for a new token pair \(grant_type=refresh_token\)\. Single use/,
        ),
        secret: true,
        known: true,
      },
    ]);
  });

  it('says what a missing field means, with no expiry sentence when the expiry is unknown', () => {
    const rows = explainTokenSet({
      ...base,
      refreshToken: null,
      scope: null,
      expiresIn: null,
      expiresAt: null,
    });
    const by = Object.fromEntries(rows.map((f) => [f.name, f]));
    expect(by.expires_in).toMatchObject({
      value: '',
      explanation: 'Not returned, so when the access token expires is unknown.',
    });
    expect(by.scope).toMatchObject({
      value: '',
      explanation: 'Not returned; the grant is whatever was asked for (read if nothing was).',
    });
    expect(by.refresh_token).toMatchObject({
      value: '',
      explanation:
        'Not returned: there is no way to get a new access token without authorizing again.',
    });
    // expires_in known but the arrival time unknown: no "From when it arrived" sentence.
    const noAt = Object.fromEntries(
      explainTokenSet({ ...base, expiresAt: null }).map((f) => [f.name, f]),
    );
    expect(noAt.expires_in?.explanation).toMatch(/one year\.$/);
    // An empty scope string is a scope that came back (empty), not a missing one.
    const empty = Object.fromEntries(
      explainTokenSet({ ...base, scope: '' }).map((f) => [f.name, f]),
    );
    expect(empty.scope?.explanation).toMatch(/^What the token may do/);
  });

  it('marks unknown fields secret by name and explains them as kept', () => {
    const rows = explainTokenSet({
      ...base,
      extra: { client_secret: 's', user_password: 'p', id_token: 't', plain: 'x' },
    });
    const extra = rows.filter((r) => !r.known);
    expect(extra.map((r) => [r.name, r.secret])).toEqual([
      ['client_secret', true],
      ['user_password', true],
      ['id_token', true],
      ['plain', false],
    ]);
    expect(extra[3]?.explanation).toBe(
      'Not a field PandaDoc is known to send; kept as it arrived.',
    );
  });
});

describe('formatDuration: boundaries and signs', () => {
  it('switches unit exactly at a minute, an hour and a day', () => {
    expect(formatDuration(60)).toBe('60 s (≈ 1 minute)');
    expect(formatDuration(3599)).toBe('3599 s (≈ 60 minutes)');
    expect(formatDuration(86399)).toBe('86399 s (≈ 24 hours)');
    expect(formatDuration(0)).toBe('0 s');
  });

  it('keeps the sign of a negative duration and counts its size', () => {
    expect(formatDuration(-59)).toBe('-59 s');
    expect(formatDuration(-60)).toBe('-60 s (≈ -1 minute)');
    expect(formatDuration(-7200)).toBe('-7200 s (≈ -2 hours)');
    expect(formatDuration(-86400 * 3)).toBe('-259200 s (≈ -3 days)');
  });
});
