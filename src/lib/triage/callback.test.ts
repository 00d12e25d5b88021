import { describe, expect, it } from 'vitest';
import { parseCallbackInput, type PendingAuthorization } from '../oauth/callback.ts';
import { triageCallback } from './callback.ts';

const CODE = '0123456789abcdef0123456789abcdef01234567';
const pending: PendingAuthorization = {
  profileId: 'p1',
  state: 'S7ate-value_xyz',
  codeVerifier: 'v'.repeat(43),
  clientId: 'client',
  redirectUri: 'http://127.0.0.1:5173/callback',
  authorizeUrl: 'https://app.pandadoc.com/oauth2/authorize?client_id=client',
  createdAt: 0,
};
const rule = (input: string, p: PendingAuthorization | null = pending) =>
  triageCallback(parseCallbackInput(input, p))?.rule ?? null;

describe('triageCallback', () => {
  it('is null when the code arrived and state matched', () => {
    expect(rule(`?state=${pending.state}&code=${CODE}`)).toBeNull();
    expect(rule(CODE, null)).toBeNull();
  });

  it('explains access_denied', () => {
    const d = triageCallback(
      parseCallbackInput('http://x/cb?state=s&error=access_denied', pending),
    );
    expect(d?.rule).toBe('access_denied');
    expect(d?.title).toBe('The user clicked Deny');
    expect(d?.next).toMatch(/click Authorize/);
    expect(d?.docs).toMatch(/rfc6749#section-4\.1\.2\.1/);
  });

  it.each([
    [`?state=other&code=${CODE}`, 'state_mismatch'],
    [`?state=&code=${CODE}`, 'state_empty'],
    [`http://x/cb?code=${CODE}`, 'state_missing'],
    ['http://x/cb?state=s', 'missing_code'],
    ['?error=invalid_scope&state=s', 'authorize_error'],
    ['hello world', 'unreadable_input'],
    ['  ', 'unreadable_input'],
  ])('%s → %s', (input, expected) => {
    const d = triageCallback(parseCallbackInput(input, pending));
    expect(d?.rule).toBe(expected);
    expect(d?.cause.length).toBeGreaterThan(10);
    expect(d?.next.length).toBeGreaterThan(10);
  });

  it('never repeats the code in a state failure', () => {
    const d = triageCallback(parseCallbackInput(`?state=other&code=${CODE}`, pending));
    expect(JSON.stringify(d)).not.toContain(CODE);
  });

  it('names no_pending', () => {
    expect(rule(`?state=abc&code=${CODE}`, null)).toBe('no_pending');
  });
});
