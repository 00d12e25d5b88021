// How the history timeline behaves at 10,000 entries (IndexedDB in memory via fake-indexeddb, so
// figures compare runs, not browsers).
import 'fake-indexeddb/auto';
import { HistoryStore } from '../src/lib/storage/history.ts';
import { openKeyValue } from '../src/lib/storage/kv.ts';
import type { HistoryEntry } from '../src/lib/triage/history.ts';
import type { BenchCase, BenchRow } from './types.ts';

const entry = (n: number): HistoryEntry => ({
  id: crypto.randomUUID(),
  profileId: 'bench',
  at: Date.now() + n,
  kind: (['exchange', 'refresh', 'verify'] as const)[n % 3],
  outcome: n % 7 ? 'ok' : 'error',
  status: n % 7 ? 200 : 400,
  errorCode: n % 7 ? null : 'invalid_grant',
  grant: n % 3 === 2 ? null : n % 7 ? 'spent' : 'rejected',
  verification: false,
  durationMs: 12.3,
  clientId: 'sim-demo-client-0d6f3b',
  fingerprints: { refreshToken: '3f9a1c2e…c36a', newRefreshToken: '0b1d2e3f…9a8b' },
  note: 'refresh_token grant',
});

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const run: BenchCase = async ({ short }) => {
  const n = short ? 2_000 : 10_000;
  const store = new HistoryStore(await openKeyValue());
  for (let i = 0; i < n; i++) await store.append(entry(i));
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await store.append(entry(n + i));
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const fresh = new HistoryStore(await openKeyValue());
  const rows: BenchRow[] = [
    { group: 'history', name: `append at ${n}: median`, value: samples[100] ?? 0, unit: 'ms' },
    {
      group: 'history',
      name: `load newest 100 of ${n}`,
      value: await time(() => fresh.recent('bench', 100)),
      unit: 'ms',
    },
    {
      group: 'history',
      name: `load all ${n + 200}`,
      value: await time(() => fresh.recent('bench')),
      unit: 'ms',
    },
  ];
  return rows;
};
