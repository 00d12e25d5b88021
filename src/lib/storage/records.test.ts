import { describe, expect, it } from 'vitest';
import type { TokenCallResult } from '../api/wire.ts';
import { needsJudging, toSession } from './records.ts';
import { judge } from '../verdict/judge.ts';

const call = (status: number, body: string): TokenCallResult => ({
  startedAt: 5,
  durationMs: 1,
  request: { method: 'POST', url: 'x', headers: [], body: 'grant_type=authorization_code' },
  response: { status, statusText: '', headers: [], body, truncated: false },
  failure: null,
  secretSource: 'server',
});
const code = { value: 'c', state: 's', capturedAt: 1, source: 'callback', exchangedAt: 5 };

describe('toSession migrates schema-1 sessions', () => {
  it('judges the stored calls, so every view reads a verdict', () => {
    const s = toSession({ exchange: call(200, '{"access_token":""}'), verify: null }, judge);
    expect(s?.exchange?.verdict).toMatchObject({ outcome: 'error', errorCode: 'malformed' });
    expect(s?.refresh).toBeNull();
  });

  it('keeps "exchanged" only when the stored answer proves the code spent', () => {
    const spent = toSession(
      {
        code,
        exchange: call(200, '{"access_token":"2ff2dfe36322448c6953616740a910be57bbd4ca"}'),
      },
      judge,
    );
    expect(spent?.code?.exchangedAt).toBe(5);
    // Version 1 set it on any send: after invalid_client the code was never read.
    const refused = toSession({ code, exchange: call(400, '{"error":"invalid_client"}') }, judge);
    expect(refused?.code?.exchangedAt).toBeNull();
    const noAnswer = toSession({ code, exchange: { ...call(0, ''), response: null } }, judge);
    expect(noAnswer?.code?.exchangedAt).toBeNull();
  });

  it('leaves a version-2 session as it was', () => {
    const judged = toSession({ code, exchange: call(400, '{"error":"invalid_client"}') }, judge);
    const again = toSession(JSON.parse(JSON.stringify({ ...judged, code })), judge);
    expect(again?.code?.exchangedAt).toBe(5);
    expect(again?.exchange?.verdict).toEqual(judged?.exchange?.verdict);
  });

  it('asks for the classifier only when a stored call has no verdict', () => {
    const old = { exchange: call(400, '{"error":"invalid_grant"}') };
    expect(needsJudging(old)).toBe(true);
    const migrated = toSession(old, judge);
    expect(needsJudging(JSON.parse(JSON.stringify(migrated)))).toBe(false);
    expect(needsJudging({ exchange: null, verify: null })).toBe(false);
    expect(needsJudging(null)).toBe(false);
    // Were it ever read without the classifier, an unjudged call is dropped, never shown unjudged.
    expect(toSession(old, null)?.exchange).toBeNull();
  });
});
