// Prints how the history timeline behaves at 10,000 entries (IndexedDB in memory via
// fake-indexeddb, so figures compare runs, not browsers). Run: npm run bench
import 'fake-indexeddb/auto';
import { HistoryStore } from '../src/lib/storage/history.ts';
import { openKeyValue } from '../src/lib/storage/kv.ts';
import type { HistoryEntry } from '../src/lib/triage/history.ts';

const N = 10_000;
const entry = (n: number): HistoryEntry => ({
  id: crypto.randomUUID(),
  profileId: 'bench',
  at: Date.now() + n,
  kind: (['exchange', 'refresh', 'verify'] as const)[n % 3],
  outcome: n % 7 ? 'ok' : 'error',
  status: n % 7 ? 200 : 400,
  errorCode: n % 7 ? null : 'invalid_grant',
  durationMs: 12.3,
  clientId: 'sim-demo-client-0d6f3b',
  fingerprints: { refreshToken: '3f9a1c2e…c36a', newRefreshToken: '0b1d2e3f…9a8b' },
  note: 'refresh_token grant',
});

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return result;
}

const store = new HistoryStore(await openKeyValue());
await time(`append ${N} entries one by one`, async () => {
  for (let i = 0; i < N; i++) await store.append(entry(i));
});
const samples: number[] = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  await store.append(entry(N + i));
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
console.log(
  `${'append at 10k: median / p95'.padEnd(44)} ${samples[100].toFixed(2).padStart(8)} ms / ${samples[190].toFixed(2)} ms`,
);
const fresh = new HistoryStore(await openKeyValue());
await time('load newest 100 (the timeline view)', () => fresh.recent('bench', 100));
const all = await time(`load all ${N + 200} (report export)`, () => fresh.recent('bench'));
console.log(`entries read back: ${all.entries.length}`);
