// How the history behaves at 10,000 entries (2,000 in --short): appending and paging the store
// (IndexedDB in memory via fake-indexeddb, so figures compare runs, not browsers), and building the
// support report as the app does (read the history's meta record and tally from the store, then
// build) against the same for an otherwise empty history (only the session's own 3 steps).
import 'fake-indexeddb/auto';
import { buildReport } from '../src/lib/report/buildReport.ts';
import { HistoryStore, PAGE_SIZE } from '../src/lib/storage/history.ts';
import { reportHistory } from '../src/lib/storage/historyTally.ts';
import { openKeyValue, type KeyValue } from '../src/lib/storage/kv.ts';
import { reportSession, syntheticEntry } from './historyFixture.ts';
import type { BenchCase, BenchRow } from './types.ts';

const MARKDOWN_BUDGET_KB = 64;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A key-value store that counts its reads. */
function counting(kv: KeyValue): KeyValue & { reads: number } {
  const c = { ...kv, reads: 0, get: (k: string) => ((c.reads += 1), kv.get(k)) };
  return c;
}

async function storeRows(n: number): Promise<BenchRow[]> {
  const store = new HistoryStore(await openKeyValue());
  for (let i = 0; i < n; i++) await store.append(syntheticEntry(i));
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await store.append(syntheticEntry(n + i));
    samples.push(performance.now() - t0);
  }
  const kv = counting(await openKeyValue());
  const fresh = new HistoryStore(kv);
  // The first page, then every older page by cursor: the last costs what the second did.
  await fresh.first('bench', 100); // warm: the first read of all also compiles the code
  const first: number[] = [];
  for (let i = 0; i < 5; i++) first.push(await time(() => fresh.first('bench', 100)));
  let { next } = await fresh.first('bench', 100);
  const pages: number[] = [];
  let reads = 0;
  while (next) {
    const cursor = next;
    const before = kv.reads;
    const t0 = performance.now();
    ({ next } = await fresh.older(cursor));
    pages.push(performance.now() - t0);
    reads = Math.max(reads, kv.reads - before);
  }
  const last = median(pages.slice(-5));
  return [
    { group: 'history', name: `append at ${n}: median`, value: median(samples), unit: 'ms' },
    { group: 'history', name: `load newest 100 of ${n}`, value: median(first), unit: 'ms' },
    {
      group: 'history',
      name: `older page by cursor at the end / first page`,
      value: last / median(first),
      unit: 'ratio',
      goal: '≤ 2×',
      met: last / median(first) <= 2,
      gated: false,
      note: `${pages.length} pages of ${PAGE_SIZE}; ${last.toFixed(2)} / ${median(first).toFixed(2)} ms`,
    },
    {
      group: 'history',
      name: 'store reads per older page',
      value: reads,
      unit: 'count',
      goal: '1',
      met: reads === 1,
      gated: true,
    },
    {
      group: 'history',
      name: `load all ${n + 200}`,
      value: await time(() => fresh.all('bench')),
      unit: 'ms',
    },
  ];
}

/** A profile's history stored as the app stores it (appended one by one), and the rest of its report. */
async function storedSession(store: HistoryStore, n: number, profileId: string) {
  const { input, entries } = await reportSession(n, profileId);
  for (const entry of entries) await store.append(entry);
  await store.tallying;
  // What the Report panel does on "Build report": read the history, build.
  return async () => buildReport({ ...input, history: await reportHistory(store, profileId) });
}

async function reportRows(n: number, short: boolean): Promise<BenchRow[]> {
  // One store, both profiles in it, as the app's: it appended them and reads them back.
  const kv = counting(await openKeyValue());
  const store = new HistoryStore(kv);
  const empty = await storedSession(store, 0, 'report-empty');
  const full = await storedSession(store, n, 'report-full');
  const readsOf = async (profileId: string) => {
    const before = kv.reads;
    await reportHistory(store, profileId);
    return kv.reads - before;
  };
  const reads = { empty: await readsOf('report-empty'), full: await readsOf('report-full') };
  const times = { empty: [] as number[], full: [] as number[] };
  let markdown = '';
  // Warm up both, then alternate: the machine's load falls on both sides alike.
  for (let i = 0; i < 5; i++) await Promise.all([empty(), full()]);
  // Each sample builds 5 reports: one takes about a millisecond, too short to time alone here.
  const five = async (make: typeof empty) => {
    for (let k = 0; k < 5; k++) markdown = (await make()).markdown;
  };
  for (let i = 0; i < (short ? 15 : 41); i++) {
    times.empty.push(await time(() => five(empty)));
    times.full.push(await time(() => five(full)));
  }
  const built = await full();
  // On download: every step read from the store and written.
  const json = await time(() => built.jsonText());
  const ratio = median(times.full) / median(times.empty);
  const kb = Buffer.byteLength(markdown) / 1024;
  return [
    {
      group: 'history',
      name: `support report at ${n} entries / empty`,
      value: ratio,
      unit: 'ratio',
      goal: '≤ 2×',
      met: ratio <= 2,
      gated: false,
      note: `medians ${(median(times.full) / 5).toFixed(2)} / ${(median(times.empty) / 5).toFixed(2)} ms a report; fastest ${(Math.min(...times.full) / 5).toFixed(2)} / ${(Math.min(...times.empty) / 5).toFixed(2)} ms`,
    },
    {
      group: 'history',
      name: `store reads for a report at ${n} entries`,
      value: reads.full,
      unit: 'count',
      goal: `as empty (${reads.empty})`,
      met: reads.full === reads.empty,
      gated: true,
      note: 'the meta record and the tally',
    },
    {
      group: 'history',
      name: `support report Markdown at ${n} entries`,
      value: Math.round(kb * 10) / 10,
      unit: 'KB',
      goal: `≤ ${MARKDOWN_BUDGET_KB} KB`,
      met: kb <= MARKDOWN_BUDGET_KB,
      gated: true,
    },
    {
      group: 'history',
      name: `support report JSON text at ${n} entries (on download)`,
      value: json,
      unit: 'ms',
      note: `${(Buffer.byteLength(await built.jsonText()) / 2 ** 20).toFixed(1)} MB, every step`,
    },
  ];
}

export const run: BenchCase = async ({ short }) => {
  const n = short ? 2_000 : 10_000;
  return [...(await storeRows(n)), ...(await reportRows(n, short))];
};
