import { clear, createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildReport } from '../report/buildReport.ts';
import { reportHistoryOf } from '../report/steps.ts';
import {
  RECENT_FAILURES,
  RECENT_STEPS,
  STEPS_IN_FULL,
  tallyOf,
  type HistoryTally,
} from '../report/tally.ts';
import type { ReportHistory, ReportInput } from '../report/types.ts';
import type { HistoryEntry, HistoryKind } from '../triage/history.ts';
import { HistoryStore, PAGE_SIZE } from './history.ts';
import { readTally, reportHistory, tallyKey } from './historyTally.ts';
import { decodeTally, encodeTally } from './tallyCodec.ts';
import { openKeyValue, type KeyValue } from './kv.ts';

/**
 * The tally the store keeps as entries are appended must be the one counted from scratch, through
 * appends, clears and reloads, and the report read from the store must be the report of every
 * entry: random histories, checked against a model kept in memory.
 */

const raw = createStore('pandadoc-oauth-debugger', 'records');
beforeEach(() => clear(raw));

/** A small seeded generator (mulberry32): a failing run can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: HistoryKind[] = ['authorize', 'callback', 'exchange', 'refresh', 'verify', 'check'];
const STATUSES = [null, 200, 400, 401, 403, 500];
const CODES = [null, 'invalid_grant', 'authentication_error', 'invalid_client', 'timeout'];

function randomEntry(rnd: () => number, profileId: string, n: number, at: number): HistoryEntry {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const error = rnd() < 0.6;
  return {
    id: `${profileId}-${n}-${Math.floor(rnd() * 1e9)}`,
    profileId,
    at,
    kind: pick(KINDS),
    outcome: error ? 'error' : 'ok',
    status: pick(STATUSES),
    errorCode: error ? pick(CODES) : null,
    grant: pick(['spent', 'rejected', 'untouched', 'unknown', null] as const),
    verification: rnd() < 0.15,
    durationMs: rnd() < 0.1 ? null : Math.floor(rnd() * 900),
    clientId: 'client-1',
    fingerprints: rnd() < 0.5 ? { accessToken: '0b1d2e3f…9a8b' } : {},
    note: pick(['', 'refresh_token grant', `note ${n}`]),
  };
}

const refused = (e: HistoryEntry) =>
  e.errorCode === 'invalid_grant' || e.status === 401 || e.status === 403;
/** A verification goes as it should when it is refused: the token it tried is dead. */
const failed = (e: HistoryEntry) =>
  e.verification ? !(e.outcome === 'error' && refused(e)) : e.outcome === 'error';

/** The tally by its definition, written out plainly: the reference for tallyOf itself. */
function naiveTally(model: HistoryEntry[]): HistoryTally {
  const kinds = [...new Set(model.map((e) => e.kind))];
  const fails = model.filter(failed);
  const key = (e: HistoryEntry) => JSON.stringify([e.kind, e.status, e.errorCode]);
  const groups = [...new Set(fails.map(key))].map((k) => {
    const of = fails.filter((e) => key(e) === k);
    const [kind, status, errorCode] = JSON.parse(k) as [HistoryKind, number | null, string | null];
    return { kind, status, errorCode, count: of.length, first: of[0]!.at, last: of.at(-1)!.at };
  });
  return {
    steps: model.length,
    first: model[0]?.at ?? null,
    last: model.at(-1)?.at ?? null,
    lastId: model.at(-1)?.id ?? null,
    byKind: kinds.map((kind) => ({
      kind,
      total: model.filter((e) => e.kind === kind).length,
      failed: fails.filter((e) => e.kind === kind).length,
    })),
    failures: groups,
    // Every step while there are few; then the last RECENT_STEPS and the failures before them.
    recent: model.length <= STEPS_IN_FULL ? model : model.slice(-RECENT_STEPS),
    earlierFailures:
      model.length <= STEPS_IN_FULL
        ? []
        : model
            .slice(0, -RECENT_STEPS)
            .map((e, i): [number, HistoryEntry] => [i, e])
            .filter(([, e]) => failed(e))
            .slice(-RECENT_FAILURES),
  };
}

/** A key-value store that remembers which keys were read and written. */
function watched(kv: KeyValue) {
  const w = {
    ...kv,
    reads: [] as string[],
    writes: [] as string[],
    get: (k: string) => (w.reads.push(k), kv.get(k)),
    set: (k: string, v: unknown) => (w.writes.push(k), kv.set(k, v)),
  };
  return w;
}

const input = (history: ReportHistory): ReportInput => ({
  generatedAt: Date.UTC(2025, 0, 6),
  appVersion: 'test',
  origin: 'http://127.0.0.1:5173',
  profile: {
    name: 'P',
    clientId: 'client-1',
    redirectUri: 'x',
    scope: 's',
    environment: 'simulator',
  },
  history,
  session: { exchange: null, refresh: null, verify: null, tokens: null },
  diagnoses: [],
  secrets: ['a-secret-that-is-long-enough'],
});

/**
 * The report from the store is the report of the model, read from the stored tally: no page read
 * (one when the meta record does not name the newest entry: a history from before tallies).
 */
async function expectReportMatches(
  kv: ReturnType<typeof watched>,
  model: HistoryEntry[],
  pageReads = 0,
) {
  const store = new HistoryStore(kv); // a reload: nothing held in memory
  kv.reads.length = 0;
  kv.writes.length = 0;
  const fromStore = await reportHistory(store, 'a');
  // Used as stored, not counted again: no tally written, no page read.
  expect(kv.writes.filter((k) => k.startsWith('history:a:'))).toEqual([]);
  expect(kv.reads.filter((k) => /^history:a:\d+$/.test(k))).toHaveLength(pageReads);
  expect(fromStore.tally).toEqual(naiveTally(model));
  expect(tallyOf(model)).toEqual(naiveTally(model));
  const [a, b] = await Promise.all([
    buildReport(input(fromStore)),
    buildReport(input(reportHistoryOf(model))),
  ]);
  expect(a.markdown).toBe(b.markdown);
  expect(await a.jsonText()).toBe(await b.jsonText());
}

describe('the history tally', () => {
  it.each([1, 2, 3])(
    'kept through random appends, clears and reloads, equals one counted from scratch (seed %i)',
    async (seed) => {
      const rnd = random(seed);
      const kv = watched(await openKeyValue());
      // Two tabs: each reads the newest page before it writes, as a tab told of a change does.
      const tabs = [new HistoryStore(kv), new HistoryStore(kv)];
      let tab = 0;
      const model: HistoryEntry[] = [];
      let at = Date.UTC(2025, 0, 1);
      let checked = 0;
      let longest = 0;
      let mostFailures = 0;
      for (let op = 0; op < 900; op++) {
        const r = rnd();
        const store = tabs[tab]!;
        if (r < 0.001 || op === 500) {
          await store.clear('a');
          model.length = 0;
        } else if (r < 0.02) {
          await store.tallying;
          tabs[tab] = new HistoryStore(kv); // a reload carries on
        } else if (r < 0.05) {
          await store.tallying;
          tab = 1 - tab; // the other tab writes next
          await tabs[tab]!.first('a');
        } else {
          at += Math.floor(rnd() * 3) * 1000; // equal times happen too
          const entry = randomEntry(rnd, 'a', op, at);
          await store.append(entry);
          model.push(entry);
          longest = Math.max(longest, model.length);
          if (rnd() < 0.1) await store.append(randomEntry(rnd, 'b', op, at)); // another profile
        }
        if (op % 90 === 89) {
          await store.tallying;
          await expectReportMatches(kv, model);
          const earlier = model.slice(0, -RECENT_STEPS).filter(failed).length;
          mostFailures = Math.max(mostFailures, earlier);
          checked += 1;
        }
      }
      expect(checked).toBe(10);
      // Pages, STEPS_IN_FULL and RECENT_FAILURES were crossed (and cleared at op 500).
      expect(longest).toBeGreaterThan(PAGE_SIZE);
      expect(mostFailures).toBeGreaterThan(RECENT_FAILURES);
    },
  );

  it('a history stored without a tally is counted once, then read from the stored tally', async () => {
    const rnd = random(7);
    const model = Array.from({ length: 3 * PAGE_SIZE + 11 }, (_, i) =>
      randomEntry(rnd, 'a', i, 1000 * i),
    );
    // As schema 2 stored it: pages and a meta record, no tally.
    for (let p = 0; p * PAGE_SIZE < model.length; p++)
      await set(
        `history:a:${p}`,
        { v: 2, data: model.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE) },
        raw,
      );
    await set('history:a:meta', { v: 2, data: { pages: 4, count: model.length } }, raw);
    const kv = watched(await openKeyValue());
    const first = await reportHistory(new HistoryStore(kv), 'a');
    expect(first.tally).toEqual(tallyOf(model));
    expect(kv.writes).toEqual([tallyKey('a')]);
    expect(first.tally).toEqual(naiveTally(model));
    await expectReportMatches(kv, model, 1); // the newest page names the newest entry
    // Appends carry it on from there.
    const store = new HistoryStore(kv);
    for (let i = 0; i < 5; i++) {
      const entry = randomEntry(rnd, 'a', model.length, 1e7 + i);
      await store.append(entry);
      model.push(entry);
    }
    await store.tallying;
    await expectReportMatches(kv, model);
  });

  it('a schema-1 history is counted as migrated: an old-pair check is a verification', async () => {
    const old = (i: number) => ({
      id: `o${i}`,
      profileId: 'a',
      at: 1000 * i,
      kind: 'verify',
      outcome: 'error',
      status: 401,
      errorCode: 'authentication_error',
      durationMs: 3,
      clientId: 'c',
      fingerprints: {},
      note: i % 2 ? 'trying the pair a refresh replaced' : '',
    });
    await set('history:a:0', { v: 1, data: [0, 1, 2, 3].map(old) }, raw);
    await set('history:a:meta', { v: 1, data: { pages: 1, count: 4 } }, raw);
    const { tally } = await reportHistory(new HistoryStore(await openKeyValue()), 'a');
    // The two old-pair checks confirmed dead tokens: not failures.
    expect(tally.byKind).toEqual([{ kind: 'verify', total: 4, failed: 2 }]);
    expect(tally.recent.map((e) => e.id)).toEqual(['o0', 'o1', 'o2', 'o3']);
  });

  it('a tally left behind by an interrupted append is not used', async () => {
    const kv = await openKeyValue();
    const store = new HistoryStore(kv);
    const rnd = random(11);
    const model = Array.from({ length: 30 }, (_, i) => randomEntry(rnd, 'a', i, i));
    for (const e of model) await store.append(e);
    await reportHistory(store, 'a');
    const stale = (await kv.get(tallyKey('a'))) as { data: { tally: HistoryTally } };
    // The next append's page and meta were written, its tally not.
    const next = randomEntry(rnd, 'a', 30, 30);
    await store.append(next);
    await reportHistory(store, 'a');
    await kv.set(tallyKey('a'), stale);
    expect(await readTally(kv, 'a', 31, next.id)).toBeNull();
    const { tally } = await reportHistory(new HistoryStore(kv), 'a');
    expect(tally).toEqual(tallyOf([...model, next]));
  });

  it('holds nothing the entries do not: every text in it is a field of an entry', async () => {
    const kv = await openKeyValue();
    const store = new HistoryStore(kv);
    const rnd = random(5);
    const entries = Array.from({ length: 400 }, (_, i) => randomEntry(rnd, 'a', i, i));
    for (const e of entries) await store.append(e);
    await reportHistory(store, 'a');
    const texts = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string') texts.add(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    const record = (await kv.get(tallyKey('a'))) as { data: { tally: string } };
    walk(JSON.parse(record.data.tally)); // as stored: entries as rows of their values
    expect(texts.size).toBeGreaterThan(10);
    const fromEntries = new Set<string>();
    JSON.stringify(entries, (_k, v: unknown) => (typeof v === 'string' && fromEntries.add(v), v));
    const extra = [...texts].filter((t) => !fromEntries.has(t));
    expect(extra).toEqual([]);
  });

  it('a damaged tally reads as none: the report counts the pages again', async () => {
    const rnd = random(13);
    const model = Array.from({ length: 120 }, (_, i) => randomEntry(rnd, 'a', i, i));
    const good = encodeTally(tallyOf(model));
    expect(decodeTally(good, 'a')).toEqual(tallyOf(model));
    const rows = JSON.parse(good) as { recent: unknown[][] };
    const damaged = [
      'not json',
      '[]',
      JSON.stringify({ ...rows, recent: [rows.recent[0]!.slice(1)] }),
      JSON.stringify({ ...rows, recent: [rows.recent[0]!.map((v, i) => (i === 2 ? 'nap' : v))] }),
      JSON.stringify({ ...rows, steps: '120' }),
    ];
    for (const text of damaged) expect(decodeTally(text, 'a'), text.slice(0, 40)).toBeNull();
    const kv = await openKeyValue();
    const store = new HistoryStore(kv);
    for (const e of model) await store.append(e);
    await store.tallying;
    const record = (await kv.get(tallyKey('a'))) as { v: number; data: { tally: string } };
    await kv.set(tallyKey('a'), { ...record, data: { ...record.data, tally: damaged[3] } });
    expect((await reportHistory(new HistoryStore(kv), 'a')).tally).toEqual(naiveTally(model));
  });

  it('clear removes the tally with the pages', async () => {
    const kv = await openKeyValue();
    const store = new HistoryStore(kv);
    const rnd = random(3);
    for (let i = 0; i < 10; i++) await store.append(randomEntry(rnd, 'a', i, i));
    await reportHistory(store, 'a');
    expect(await kv.get(tallyKey('a'))).toBeDefined();
    await store.clear('a');
    expect(await kv.get(tallyKey('a'))).toBeUndefined();
    expect((await reportHistory(store, 'a')).tally).toEqual(tallyOf([]));
  });
});
