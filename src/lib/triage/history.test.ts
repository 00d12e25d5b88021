import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { classifyCall } from '../verdict/classify.ts';
import { SimSession } from './fixtures.ts';
import {
  callFingerprints,
  callSecrets,
  historyEntryFromCall,
  isHistoryEntry,
  readEntry,
  toHistoryEntry,
} from './history.ts';

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

describe('isHistoryEntry: each field checked', () => {
  const ok = {
    id: 'a',
    profileId: 'p',
    at: 1,
    kind: 'exchange',
    outcome: 'error',
    status: null,
    errorCode: 'timeout',
    grant: 'unknown',
    verification: true,
    durationMs: null,
    clientId: 'c',
    fingerprints: { code: 'fp' },
    note: 'n',
  };
  it('accepts nulls where the schema allows them, and every kind and grant effect', () => {
    expect(isHistoryEntry(ok)).toBe(true);
    expect(
      isHistoryEntry({ ...ok, status: 400, errorCode: null, durationMs: 5, clientId: null }),
    ).toBe(true);
    for (const kind of ['authorize', 'callback', 'exchange', 'refresh', 'verify', 'check'])
      expect(isHistoryEntry({ ...ok, kind })).toBe(true);
    for (const grant of ['spent', 'rejected', 'untouched', 'unknown', null])
      expect(isHistoryEntry({ ...ok, grant })).toBe(true);
    expect(isHistoryEntry({ ...ok, outcome: 'ok' })).toBe(true);
  });
  it.each([
    ['id', 1],
    ['profileId', null],
    ['at', '1'],
    ['kind', 3],
    ['outcome', 'maybe'],
    ['status', '400'],
    ['errorCode', 0],
    ['grant', undefined],
    ['verification', 'yes'],
    ['durationMs', '3'],
    ['clientId', 1],
    ['fingerprints', 'fp'],
    ['note', null],
  ])('refuses %s = %j', (field, value) => {
    expect(isHistoryEntry({ ...ok, [field]: value })).toBe(false);
  });
});

describe('toHistoryEntry: the grant of a version-1 entry', () => {
  const v1 = {
    id: 'a',
    profileId: 'p',
    at: 1,
    kind: 'exchange',
    outcome: 'error',
    status: 400,
    errorCode: 'invalid_grant',
    durationMs: 3,
    clientId: null,
    fingerprints: {},
    note: '',
  };
  it('invalid_grant on a 400 is a rejection; on another status it proves nothing', () => {
    expect(toHistoryEntry(v1)?.grant).toBe('rejected');
    expect(toHistoryEntry({ ...v1, status: 401 })?.grant).toBe('unknown');
    expect(toHistoryEntry({ ...v1, errorCode: 'invalid_client' })?.grant).toBe('unknown');
    expect(toHistoryEntry({ ...v1, outcome: 'ok', status: 200, errorCode: null })?.grant).toBe(
      'spent',
    );
    expect(toHistoryEntry({ ...v1, kind: 'check', outcome: 'ok' })?.grant).toBeNull();
  });
  it('refuses a record that is not an entry', () => {
    expect(toHistoryEntry(null)).toBeNull();
    expect(toHistoryEntry({ ...v1, at: 'x' })).toBeNull();
  });
});

describe('readEntry: verifications that were refused', () => {
  const v = { outcome: 'error', verification: true, errorCode: null, status: null } as const;
  it('invalid_grant, 401 and 403 are the good result; other errors are not', () => {
    expect(readEntry({ ...v, errorCode: 'invalid_grant', status: 400 })).toBe('confirmed dead');
    expect(readEntry({ ...v, status: 401 })).toBe('confirmed dead');
    expect(readEntry({ ...v, status: 403 })).toBe('confirmed dead');
    expect(readEntry({ ...v, status: 400, errorCode: 'invalid_client' })).toBe('no clear answer');
    expect(readEntry({ ...v, verification: false, outcome: 'ok' })).toBe('ok');
  });
});

describe('callSecrets: what a recorded call carries', () => {
  const call = (
    over: { body?: string | null; auth?: string; status?: number; answer?: string } = {},
  ): UpstreamExchange => ({
    startedAt: 1,
    durationMs: 1,
    request: {
      method: 'POST',
      url: 'u',
      headers: over.auth === undefined ? [] : [['authorization', over.auth]],
      body: over.body === undefined ? 'client_id=c&code=k&refresh_token=r' : over.body,
    },
    response:
      over.status === undefined
        ? null
        : {
            status: over.status,
            statusText: '',
            headers: [],
            body: over.answer ?? '',
            truncated: false,
          },
    failure: null,
  });
  const TOKENS = '{"access_token":"A","refresh_token":"R"}';
  it('reads the form, the Bearer token and the tokens a 2xx returned', () => {
    expect(callSecrets(call({ auth: 'bearer   tok', status: 200, answer: TOKENS }))).toEqual({
      clientId: 'c',
      code: 'k',
      refreshToken: 'r',
      accessToken: 'tok',
      newAccessToken: 'A',
      newRefreshToken: 'R',
    });
    expect(callSecrets(call({ status: 299, answer: TOKENS, body: null }))).toEqual({
      newAccessToken: 'A',
      newRefreshToken: 'R',
    });
  });
  it('skips empty fields, non-Bearer headers, and tokens outside a 2xx object answer', () => {
    expect(
      callSecrets(call({ body: 'client_id=&code=&refresh_token=', auth: 'Basic abc' })),
    ).toEqual({});
    expect(callSecrets(call({ body: '', auth: 'xBearer abc' }))).toEqual({});
    expect(callSecrets(call({ body: '', auth: 'Bearer' }))).toEqual({});
    expect(callSecrets(call({ body: '', auth: 'Bearer\tt2 extra' }))).toEqual({
      accessToken: 't2',
    });
    for (const status of [199, 300, 400])
      expect(callSecrets(call({ body: '', status, answer: TOKENS }))).toEqual({});
    expect(callSecrets(call({ body: '', status: 200, answer: '[{"access_token":"A"}]' }))).toEqual(
      {},
    );
    expect(callSecrets(call({ body: '', status: 200, answer: 'access_token=A' }))).toEqual({});
    expect(
      callSecrets(call({ body: '', status: 200, answer: '{"access_token":"","refresh_token":5}' })),
    ).toEqual({});
    expect(
      callSecrets(call({ body: '', status: 200, answer: '{"access_token":5,"refresh_token":""}' })),
    ).toEqual({});
  });
  it('fingerprints everything but the client_id', async () => {
    expect(await callFingerprints(call({ auth: 'Bearer t', status: 200, answer: TOKENS }))).toEqual(
      {
        code: await fingerprint('k'),
        refreshToken: await fingerprint('r'),
        accessToken: await fingerprint('t'),
        newAccessToken: await fingerprint('A'),
        newRefreshToken: await fingerprint('R'),
      },
    );
  });
  it('an entry for a call with no answer: no status, the meta given', async () => {
    const c = call({ body: 'grant_type=refresh_token&refresh_token=r' });
    const entry = await historyEntryFromCall(
      'refresh',
      { ...c, verdict: classifyCall('refresh', c) },
      {
        id: 'i',
        profileId: 'p',
        note: 'the note',
        verification: true,
      },
    );
    expect(entry).toEqual({
      id: 'i',
      profileId: 'p',
      at: 1,
      kind: 'refresh',
      outcome: 'error',
      status: null,
      errorCode: 'unreachable',
      grant: 'unknown',
      verification: true,
      durationMs: 1,
      clientId: null,
      fingerprints: { refreshToken: await fingerprint('r') },
      note: 'the note',
    });
  });
});
