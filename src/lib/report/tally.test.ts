import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../triage/history.ts';
import { RECENT_FAILURES, RECENT_STEPS, STEPS_IN_FULL, tallyOf, tallyWith } from './tally.ts';

/** Entry i: a verify, every third one refused. */
const entry = (i: number): HistoryEntry => ({
  id: `e${i}`,
  profileId: 'p',
  at: 1000 * i,
  kind: 'verify',
  outcome: i % 3 ? 'ok' : 'error',
  status: i % 3 ? 200 : 401,
  errorCode: i % 3 ? null : 'authentication_error',
  grant: null,
  verification: false,
  durationMs: 5,
  clientId: 'c',
  fingerprints: {},
  note: '',
});
const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i));

describe('tallyOf / tallyWith', () => {
  it('keeps every step up to STEPS_IN_FULL, then the last RECENT_STEPS and the failures before', () => {
    const full = tallyOf(entries(STEPS_IN_FULL));
    expect(full.recent.map((e) => e.id)).toEqual(entries(STEPS_IN_FULL).map((e) => e.id));
    expect(full.earlierFailures).toEqual([]);
    // One more: the list shrinks to the last 50; the failures among the 51 before are kept.
    const over = tallyWith(full, entry(STEPS_IN_FULL));
    expect(over.recent.map((e) => e.id)).toEqual(
      entries(STEPS_IN_FULL + 1)
        .slice(-RECENT_STEPS)
        .map((e) => e.id),
    );
    const places = over.earlierFailures.map(([i, e]) => [i, e.id]);
    expect(places).toEqual(
      Array.from({ length: 17 }, (_, k) => [3 * k, `e${3 * k}`]), // 0, 3, … 48
    );
  });

  it('keeps the RECENT_FAILURES most recent earlier failures, with their place', () => {
    const t = tallyOf(entries(1000));
    expect(t.earlierFailures).toHaveLength(RECENT_FAILURES);
    expect(t.earlierFailures.at(-1)?.[0]).toBe(948); // the last failure before step 950
    expect(t.earlierFailures[0]?.[0]).toBe(948 - 3 * (RECENT_FAILURES - 1));
    expect(t.byKind).toEqual([{ kind: 'verify', total: 1000, failed: 334 }]);
    expect(t.failures).toEqual([
      {
        kind: 'verify',
        status: 401,
        errorCode: 'authentication_error',
        count: 334,
        first: 0,
        last: 999_000,
      },
    ]);
    expect([t.steps, t.first, t.last, t.lastId]).toEqual([1000, 0, 999_000, 'e999']);
  });

  it('tallyWith leaves the tally it starts from as it was', () => {
    const t = tallyOf(entries(150));
    const before = structuredClone(t);
    const next = tallyWith(t, entry(150));
    expect(t).toEqual(before);
    expect(next).toEqual(tallyOf(entries(151)));
  });
});
