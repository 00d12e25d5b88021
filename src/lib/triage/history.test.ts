import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.ts';
import { SimSession } from './fixtures.ts';
import { callErrorCode, historyEntryFromCall, isHistoryEntry } from './history.ts';

describe('historyEntryFromCall', () => {
  it('records an exchange with fingerprints only', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value);
    const { access, refresh } = SimSession.tokens(ex);
    const entry = await historyEntryFromCall('exchange', ex, { id: 'x', profileId: 'p' });
    expect(entry).toEqual({
      id: 'x',
      profileId: 'p',
      at: ex.startedAt,
      kind: 'exchange',
      outcome: 'ok',
      status: 200,
      errorCode: null,
      durationMs: 250,
      clientId: 'sim-demo-client-0d6f3b',
      fingerprints: {
        code: code.context.fingerprint,
        newAccessToken: await fingerprint(access),
        newRefreshToken: await fingerprint(refresh),
      },
      note: '',
    });
    expect(isHistoryEntry(entry)).toBe(true);
    expect(JSON.stringify(entry)).not.toContain(code.value);
    expect(JSON.stringify(entry)).not.toContain(access);
  });

  it('records a member call with the Bearer token fingerprint and the error type', async () => {
    const s = new SimSession();
    const me = await s.verify('d'.repeat(40));
    const entry = await historyEntryFromCall('verify', me, { id: 'v', profileId: 'p', note: 'n' });
    expect(entry.outcome).toBe('error');
    expect(entry.errorCode).toBe('authentication_error');
    expect(entry.fingerprints).toEqual({ accessToken: await fingerprint('d'.repeat(40)) });
  });
});

describe('callErrorCode', () => {
  const call = (status: number, body: string, failure: 'timeout' | null = null) => ({
    startedAt: 0,
    durationMs: 1,
    request: { method: 'POST' as const, url: 'x', headers: [], body: 'grant_type=refresh_token' },
    response: failure ? null : { status, statusText: '', headers: [], body, truncated: false },
    failure: failure ? { kind: failure, message: 'm' } : null,
  });
  it.each([
    [call(0, '', 'timeout'), 'timeout'],
    [call(200, '{"access_token":"a"}'), null],
    [call(200, '{"token_type":"Bearer"}'), 'malformed'],
    [call(200, '{"error":"invalid_grant"}'), 'invalid_grant'],
    [call(200, 'nope'), 'not_json'],
    [call(502, '<html>'), 'html'],
    [call(500, '{}'), 'http_500'],
  ])('%#', (c, expected) => {
    expect(callErrorCode(c)).toBe(expected);
  });
});

describe('isHistoryEntry', () => {
  it('rejects records with a wrong field', () => {
    const ok = {
      id: 'a',
      profileId: 'p',
      at: 1,
      kind: 'verify',
      outcome: 'ok',
      status: 200,
      errorCode: null,
      durationMs: 3,
      clientId: null,
      fingerprints: {},
      note: '',
    };
    expect(isHistoryEntry(ok)).toBe(true);
    expect(isHistoryEntry({ ...ok, kind: 'other' })).toBe(false);
    expect(isHistoryEntry({ ...ok, fingerprints: { code: 1 } })).toBe(false);
    expect(isHistoryEntry(null)).toBe(false);
  });
});
