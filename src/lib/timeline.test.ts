import { clear, createStore } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, PAGE_SIZE } from './storage/history.ts';
import { openKeyValue, type KeyValue } from './storage/kv.ts';
import { Timeline } from './timeline.svelte.ts';
import type { HistoryEntry } from './triage/history.ts';

const raw = createStore('pandadoc-oauth-debugger', 'records');
beforeEach(() => clear(raw));

const entry = (profileId: string, n: number): HistoryEntry => ({
  id: `${profileId}${n}`,
  profileId,
  at: 1_000 + n,
  kind: 'verify',
  outcome: 'ok',
  status: 200,
  errorCode: null,
  grant: null,
  verification: false,
  durationMs: 3,
  clientId: 'c1',
  fingerprints: {},
  note: '',
});

async function setup(counts: Record<string, number>) {
  const kv = await openKeyValue();
  const writer = new HistoryStore(kv);
  for (const [id, n] of Object.entries(counts))
    for (let i = 0; i < n; i++) await writer.append(entry(id, i));
  const counting = { ...kv, reads: 0 } as KeyValue & { reads: number };
  counting.get = (k) => ((counting.reads += 1), kv.get(k));
  const store = new HistoryStore(counting);
  const problems: string[] = [];
  const timeline = new Timeline({
    store: () => store,
    persist: async (_what, write) => (await write(), true),
    changed: () => {},
    problem: (m) => problems.push(m),
  });
  return { timeline, counting, problems };
}

describe('Timeline', () => {
  it('loads the newest pages, then one page per `more`, and knows when it has all', async () => {
    const n = PAGE_SIZE * 3 + 5;
    const { timeline, counting } = await setup({ a: n });
    await timeline.load('a');
    expect(timeline.total).toBe(n);
    expect(timeline.entries).toHaveLength(5 + PAGE_SIZE);
    expect(timeline.entries[0]?.id).toBe(`a${n - 1}`);
    expect(timeline.complete).toBe(false);

    const before = counting.reads;
    await timeline.more('a');
    expect(counting.reads - before).toBe(1);
    expect(timeline.entries).toHaveLength(5 + PAGE_SIZE * 2);

    await timeline.loadTo('a', n - 1);
    expect(timeline.complete).toBe(true);
    expect(timeline.entries.map((e) => e.id)).toEqual(
      Array.from({ length: n }, (_, i) => `a${n - 1 - i}`),
    );
    // Nothing left: more reads nothing.
    const after = counting.reads;
    await timeline.more('a');
    expect(counting.reads).toBe(after);
  });

  it('drops a page read for a profile it has left', async () => {
    const { timeline } = await setup({ a: PAGE_SIZE * 2 + 1, b: 3 });
    await timeline.load('a');
    const late = timeline.more('a');
    await timeline.load('b');
    await late;
    expect(timeline.entries.map((e) => e.id)).toEqual(['b2', 'b1', 'b0']);
    expect(timeline.total).toBe(3);
  });

  it('a new entry goes on top and counts', async () => {
    const { timeline } = await setup({ a: 2 });
    await timeline.load('a');
    await timeline.add(entry('a', 7));
    expect(timeline.entries.map((e) => e.id)).toEqual(['a7', 'a1', 'a0']);
    expect(timeline.total).toBe(3);
    await timeline.load('a');
    expect(timeline.entries.map((e) => e.id)).toEqual(['a7', 'a1', 'a0']);
  });

  it('after another tab wrote, a reload reads the newest page only and keeps what was loaded', async () => {
    const n = PAGE_SIZE * 2 + 10;
    const { timeline, counting } = await setup({ a: n });
    await timeline.load('a');
    await timeline.loadTo('a', n - 1);
    const other = new HistoryStore(await openKeyValue());
    for (let i = n; i < n + 3; i++) await other.append(entry('a', i));
    const before = counting.reads;
    await timeline.load('a');
    expect(counting.reads - before).toBe(2); // the index and the newest page
    expect(timeline.entries).toHaveLength(n + 3);
    expect(timeline.entries.slice(0, 4).map((e) => e.id)).toEqual([
      'a' + (n + 2),
      'a' + (n + 1),
      'a' + n,
      'a' + (n - 1),
    ]);
    expect(timeline.total).toBe(n + 3);
    // Cleared in the other tab: nothing to join to, so a full read (of nothing).
    await other.clear('a');
    await timeline.load('a');
    expect(timeline.entries).toEqual([]);
    expect(timeline.total).toBe(0);
  });
});
