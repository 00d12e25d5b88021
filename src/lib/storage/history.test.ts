import { clear, createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../triage/history.ts';
import { HistoryStore, PAGE_SIZE, type HistoryCursor } from './history.ts';
import { openKeyValue, type KeyValue } from './kv.ts';

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
  grant: n % 2 ? 'spent' : null,
  verification: false,
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

  it('pages by cursor: each older page costs one read, whatever was read before', async () => {
    const kv = await openKeyValue();
    const store = new HistoryStore(kv);
    const n = PAGE_SIZE * 3 + 5;
    for (let i = 0; i < n; i++) await store.append(entry('a', i));
    let reads = 0;
    const counting: KeyValue = { ...kv, get: (k) => (reads++, kv.get(k)) };
    const fresh = new HistoryStore(counting);
    const first = await fresh.first('a', 100);
    // The newest page holds 5 entries: one more page makes the 100 asked for.
    expect(first.entries.map((e) => e.id).slice(0, 3)).toEqual([
      `e${n - 1}`,
      `e${n - 2}`,
      `e${n - 3}`,
    ]);
    expect(first.entries).toHaveLength(5 + PAGE_SIZE);
    expect(first.total).toBe(n);
    const ids = first.entries.map((e) => e.id);
    let next: HistoryCursor | null = first.next;
    const readsPerPage: number[] = [];
    while (next) {
      const before = reads;
      const page = await fresh.older(next);
      readsPerPage.push(reads - before);
      ids.push(...page.entries.map((e) => e.id));
      next = page.next;
    }
    expect(readsPerPage).toEqual([1, 1]);
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => `e${n - 1 - i}`));
  });

  it('a cursor stays valid while the timeline grows', async () => {
    const store = new HistoryStore(await openKeyValue());
    for (let i = 0; i < PAGE_SIZE + 1; i++) await store.append(entry('a', i));
    const first = await store.first('a');
    expect(first.entries.map((e) => e.id)).toEqual([`e${PAGE_SIZE}`]);
    for (let i = PAGE_SIZE + 1; i < PAGE_SIZE * 2 + 3; i++) await store.append(entry('a', i));
    const older = await store.older(first.next!);
    expect(older.entries[0]?.id).toBe(`e${PAGE_SIZE - 1}`);
    expect(older.entries.at(-1)?.id).toBe('e0');
    expect(older.next).toBeNull();
  });

  it('reads everything oldest first for the report', async () => {
    const store = new HistoryStore(await openKeyValue());
    for (let i = 0; i < PAGE_SIZE + 3; i++) await store.append(entry('a', i));
    const all = await new HistoryStore(await openKeyValue()).all('a');
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: PAGE_SIZE + 3 }, (_, i) => `e${i}`));
    expect(await store.first('none')).toEqual({ entries: [], next: null, total: 0 });
  });
});
