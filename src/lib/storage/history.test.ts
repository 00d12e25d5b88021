import { clear, createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../triage/history.ts';
import { HistoryStore, PAGE_SIZE } from './history.ts';
import { openKeyValue } from './kv.ts';

const raw = createStore('pandadoc-oauth-debugger', 'records');
beforeEach(() => clear(raw));

const entry = (profileId: string, n: number): HistoryEntry => ({
  id: `e${n}`,
  profileId,
  at: 1_000 + n,
  kind: n % 2 ? 'exchange' : 'verify',
  outcome: 'ok',
  status: 200,
  errorCode: null,
  durationMs: 3,
  clientId: 'c1',
  fingerprints: {},
  note: `entry ${n}`,
});

describe('HistoryStore', () => {
  it('appends across pages and reads back newest first, per profile', async () => {
    const store = new HistoryStore(await openKeyValue());
    const n = PAGE_SIZE * 2 + 7;
    for (let i = 0; i < n; i++) await store.append(entry('a', i));
    await store.append(entry('b', 0));
    const fresh = new HistoryStore(await openKeyValue());
    const all = await fresh.recent('a');
    expect(all.total).toBe(n);
    expect(all.entries).toHaveLength(n);
    expect(all.entries[0].id).toBe(`e${n - 1}`);
    expect(all.entries.at(-1)!.id).toBe('e0');
    expect((await fresh.recent('a', 10)).entries.map((e) => e.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `e${n - 1 - i}`),
    );
    expect((await fresh.recent('b')).total).toBe(1);
  });

  it('a second writer (another tab) continues the same timeline', async () => {
    const kv = await openKeyValue();
    const tab1 = new HistoryStore(kv);
    const tab2 = new HistoryStore(kv);
    await tab1.append(entry('a', 1));
    await tab2.recent('a');
    await tab2.append(entry('a', 2));
    expect((await tab1.recent('a')).entries.map((e) => e.id)).toEqual(['e2', 'e1']);
  });

  it('skips unreadable entries and pages, and says so', async () => {
    const store = new HistoryStore(await openKeyValue());
    await store.append(entry('a', 1));
    await set('history:a:0', { v: 1, data: [entry('a', 1), { junk: true }] }, raw);
    const fresh = new HistoryStore(await openKeyValue());
    expect((await fresh.recent('a')).entries).toHaveLength(1);
    expect(fresh.problems.join()).toMatch(/1 history entries were unreadable/);
  });

  it('clear removes every page', async () => {
    const store = new HistoryStore(await openKeyValue());
    for (let i = 0; i < PAGE_SIZE + 1; i++) await store.append(entry('a', i));
    await store.clear('a');
    expect(await store.recent('a')).toEqual({ entries: [], total: 0 });
  });
});
