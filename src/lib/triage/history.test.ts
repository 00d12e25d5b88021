import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.ts';
import { classifyCall } from '../verdict/classify.ts';
import { SimSession } from './fixtures.ts';
import { historyEntryFromCall, isHistoryEntry, readEntry, toHistoryEntry } from './history.ts';

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
      grant: 'spent',
      verification: false,
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

describe('historyEntryFromCall reads the stored verdict', () => {
  it('records a 200 with an empty access_token as the error the screen shows', async () => {
    const s = new SimSession();
    const ex = await s.exchange((await s.authorize()).value);
    const broken = { ...ex, response: { ...ex.response!, body: '{"access_token":""}' } };
    const judged = { ...broken, verdict: classifyCall('exchange', broken) };
    const entry = await historyEntryFromCall('exchange', judged, { id: 'e', profileId: 'p' });
    expect([entry.outcome, entry.errorCode, entry.grant]).toEqual([
      'error',
      'malformed',
      'unknown',
    ]);
  });

  it('marks the old-pair checks as verifications: refused reads "confirmed dead"', async () => {
    const s = new SimSession();
    const me = await s.verify('d'.repeat(40));
    const entry = await historyEntryFromCall('verify', me, {
      id: 'v',
      profileId: 'p',
      verification: true,
    });
    expect(entry.outcome).toBe('error');
    expect(readEntry(entry)).toBe('confirmed dead');
    expect(readEntry({ ...entry, verification: false })).toBe('failed');
    expect(readEntry({ ...entry, outcome: 'ok', errorCode: null, status: 200 })).toBe(
      'still works',
    );
    expect(readEntry({ ...entry, errorCode: 'timeout', status: null })).toBe('no clear answer');
  });
});

describe('toHistoryEntry (schema 1 → 2)', () => {
  const v1 = {
    id: 'a',
    profileId: 'p',
    at: 1,
    kind: 'refresh',
    outcome: 'error',
    status: 400,
    errorCode: 'invalid_grant',
    durationMs: 3,
    clientId: null,
    fingerprints: {},
    note: 'trying the pair a refresh replaced',
  };
  it('fills grant and verification from what version 1 kept', () => {
    expect(toHistoryEntry(v1)).toMatchObject({ grant: 'rejected', verification: true });
    expect(
      toHistoryEntry({ ...v1, note: '', outcome: 'ok', errorCode: null, status: 200 }),
    ).toMatchObject({ grant: 'spent', verification: false });
    expect(toHistoryEntry({ ...v1, kind: 'verify', note: '' })).toMatchObject({
      grant: null,
      verification: false,
    });
    expect(toHistoryEntry({ ...v1, errorCode: 'timeout', status: null })?.grant).toBe('unknown');
  });
  it('keeps a version-2 entry as it is, and refuses what is not an entry', () => {
    const v2 = { ...v1, grant: 'untouched', verification: false };
    expect(toHistoryEntry(v2)).toEqual(v2);
    expect(toHistoryEntry({ ...v1, kind: 'other' })).toBeNull();
    expect(toHistoryEntry('x')).toBeNull();
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
      grant: null,
      verification: false,
      durationMs: 3,
      clientId: null,
      fingerprints: {},
      note: '',
    };
    expect(isHistoryEntry(ok)).toBe(true);
    expect(isHistoryEntry({ ...ok, kind: 'other' })).toBe(false);
    expect(isHistoryEntry({ ...ok, fingerprints: { code: 1 } })).toBe(false);
    expect(isHistoryEntry({ ...ok, grant: 'maybe' })).toBe(false);
    expect(isHistoryEntry(null)).toBe(false);
  });
});
