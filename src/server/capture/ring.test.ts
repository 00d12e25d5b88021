import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { CapturedCall } from '../../lib/api/traffic.ts';
import { capturedCall, range } from './fixtures.ts';
import { approximateSize, CaptureRing, captureSettingsFromEnv, type RingEvent } from './ring.ts';

/** A full garbage collection, so heap figures compare live data only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('CaptureRing', () => {
  it('numbers calls from 1 and hands them out oldest first', () => {
    const ring = new CaptureRing();
    ring.add(capturedCall(1));
    ring.add({ ...capturedCall(2), seq: 999 } as CapturedCall);
    expect(ring.list().map((c) => c.seq)).toEqual([1, 2]);
    expect(ring.lastSeq).toBe(2);
  });

  it('keeps 1,000 calls of 10,000 and its memory stays flat', () => {
    const ring = new CaptureRing({ maxCalls: 1000 });
    const fill = (from: number, to: number) => {
      for (let i = from; i < to; i++) ring.add(capturedCall(i, 10_000));
    };
    fill(0, 2000);
    collectGarbage();
    const heapAt2k = process.memoryUsage().heapUsed;
    const bytesAt2k = ring.capacity().bytes;
    fill(2000, 10_000);
    collectGarbage();
    const heapAt10k = process.memoryUsage().heapUsed;
    const list = ring.list();
    expect(list).toHaveLength(1000);
    expect(list[0]?.seq).toBe(9001);
    expect(list.at(-1)?.seq).toBe(10_000);
    expect(ring.capacity()).toMatchObject({ calls: 1000, dropped: 9000 });
    expect(ring.capacity().bytes).toBe(bytesAt2k);
    // 8,000 more calls of ~10 KB each would be ~80 MB if they were kept; allow 10 MB of noise.
    expect(heapAt10k - heapAt2k).toBeLessThan(10 * 2 ** 20);
  });

  it('drops the oldest calls once the size bound is reached', () => {
    const one = approximateSize({ ...capturedCall(0, 1000), seq: 1 });
    const ring = new CaptureRing({ maxCalls: 1000, maxBytes: one * 5 + 10 });
    for (let i = 0; i < 20; i++) ring.add(capturedCall(i, 1000));
    expect(ring.list().map((c) => c.seq)).toEqual([16, 17, 18, 19, 20]);
    expect(ring.capacity().bytes).toBeLessThanOrEqual(one * 5 + 10);
  });

  it('grows its slots while the oldest call is not in the first one, and keeps every call whole', () => {
    // Large calls first: the size bound drops some, so the oldest call held moves along the
    // slots; then small ones, until the first slots fill and must grow with the calls wrapped.
    const big = approximateSize(capturedCall(0, 50_000));
    const ring = new CaptureRing({ maxCalls: 1000, maxBytes: big * 3 + 200_000 });
    for (let i = 1; i <= 5; i++) ring.add(capturedCall(i, 50_000));
    for (let i = 6; i <= 600; i++) ring.add(capturedCall(i, 10));
    const held = ring.list();
    expect(held.at(-1)?.seq).toBe(600);
    // Consecutive seqs, each with its own call's fields (capturedCall(i) starts at ...000 + i).
    held.forEach((call, k) => {
      expect(call.seq).toBe(held[0]!.seq + k);
      expect(call.startedAt).toBe(1_700_000_000_000 + call.seq);
      expect(call.request.body).toContain(String(call.seq).padStart(40, '0'));
    });
    expect(held.length).toBeGreaterThan(256);
  });

  it('keeps a run of like calls as one, and each call of it, and the next, as it came', () => {
    const ring = new CaptureRing({ maxCalls: 100 });
    const base = capturedCall(1);
    // The same exchange throughout; its other fields change now and then, one at a time.
    const sent: Omit<CapturedCall, 'seq'>[] = [
      base,
      { ...base, startedAt: base.startedAt + 5, durationMs: 7 },
      { ...base, startedAt: base.startedAt + 9 },
      { ...base, userAgent: 'python-requests/2.32' },
      { ...base, userAgent: 'python-requests/2.32' },
      { ...base, failure: { kind: 'timeout', message: 'late' } },
      { ...base, localPath: '/us/oauth2/access_token' },
      { ...base, upstream: 'us' },
      { ...base, requestBodyTruncated: true },
      { ...base, refused: { kind: 'not_found', reason: 'Not a path it passes on.' } },
      { ...base },
    ];
    const copies = sent.map((call) => JSON.parse(JSON.stringify(call)) as typeof call);
    for (const call of copies) ring.add(call);
    const held = ring.list();
    expect(held.map(({ seq: _, ...call }) => call)).toEqual(sent);
    // A call that was not refused has no `refused` key at all, as it came.
    expect(held.map((c) => 'refused' in c)).toEqual(sent.map((c) => 'refused' in c));
    expect(held.map((c) => c.seq)).toEqual(range(1, 11));
    // Equal requests and responses are one object each, whatever else changes.
    expect(new Set(held.map((c) => c.request)).size).toBe(1);
    expect(new Set(held.map((c) => c.response)).size).toBe(1);
  });

  it('refuses a single call larger than the whole size bound', () => {
    const ring = new CaptureRing({ maxBytes: 500 });
    expect(ring.add(capturedCall(0, 1000))).toBeNull();
    expect(ring.list()).toEqual([]);
  });

  it('replays what a listener missed: seq > n, or everything after a restart', () => {
    const ring = new CaptureRing({ maxCalls: 3 });
    for (let i = 0; i < 5; i++) ring.add(capturedCall(i));
    expect(ring.since(3).map((c) => c.seq)).toEqual([4, 5]);
    expect(ring.since(0).map((c) => c.seq)).toEqual([3, 4, 5]);
    expect(ring.since(5)).toEqual([]);
    // An id from a previous server lifetime (beyond anything handed out here): all of the ring.
    expect(ring.since(42).map((c) => c.seq)).toEqual([3, 4, 5]);
  });

  it('wraps around its slots: oldest first, sizes kept, a clear starts afresh', () => {
    const one = approximateSize(capturedCall(0, 100));
    const ring = new CaptureRing({ maxCalls: 4, maxBytes: one * 3 });
    for (let i = 0; i < 11; i++) ring.add(capturedCall(i, 100));
    // Three fit the size bound; the slots have gone round the ring of four nearly three times.
    expect(ring.list().map((c) => c.seq)).toEqual([9, 10, 11]);
    expect(ring.since(9).map((c) => c.seq)).toEqual([10, 11]);
    expect(ring.capacity()).toMatchObject({ calls: 3, bytes: one * 3, dropped: 8 });
    // A larger call pushes out as many as it needs, and only those.
    ring.add(capturedCall(11, 100 + one));
    expect(ring.list().map((c) => c.seq)).toEqual([11, 12]);
    expect(ring.clearedAt).toBe(0);
    ring.clear();
    expect(ring.clearedAt).toBe(12);
    ring.add(capturedCall(12, 100));
    expect(ring.list().map((c) => c.seq)).toEqual([13]);
    expect(ring.clearedAt).toBe(12);
    expect(ring.capacity()).toMatchObject({ calls: 1, bytes: one, dropped: 0 });
  });

  it('tells live listeners about each call and each clear, until they unsubscribe', () => {
    const ring = new CaptureRing();
    const seen: RingEvent[] = [];
    const stop = ring.subscribe((e) => seen.push(e));
    ring.subscribe(() => {
      throw new Error('a broken listener');
    });
    ring.add(capturedCall(1));
    ring.clear();
    stop();
    ring.add(capturedCall(2));
    expect(seen.map((e) => e.kind)).toEqual(['call', 'cleared']);
    expect(ring.list().map((c) => c.seq)).toEqual([2]);
  });

  it('tells a listener once however often it subscribed; one that leaves mid-event misses nothing else', () => {
    const ring = new CaptureRing();
    const seen: string[] = [];
    const once = () => seen.push('once');
    ring.subscribe(once);
    ring.subscribe(once);
    expect(ring.listenerCount).toBe(1);
    const leaving = () => {
      seen.push('leaving');
      ring.unsubscribe(leaving);
    };
    ring.subscribe(leaving);
    ring.subscribe(() => seen.push('last'));
    ring.add(capturedCall(1));
    ring.add(capturedCall(2));
    expect(seen).toEqual(['once', 'leaving', 'last', 'once', 'last']);
    expect(ring.listenerCount).toBe(2);
  });

  it('keeps nothing with CAPTURE=0', () => {
    const ring = new CaptureRing(captureSettingsFromEnv({ CAPTURE: '0' }));
    const seen: RingEvent[] = [];
    ring.subscribe((e) => seen.push(e));
    expect(ring.add(capturedCall(1))).toBeNull();
    expect(ring.list()).toEqual([]);
    expect(seen).toEqual([]);
    expect(ring.capacity().enabled).toBe(false);
  });

  it('reads its bounds from the environment and rejects nonsense', () => {
    expect(captureSettingsFromEnv({})).toEqual({
      enabled: true,
      maxCalls: 1000,
      maxBytes: 50 * 2 ** 20,
    });
    expect(captureSettingsFromEnv({ CAPTURE_MAX_CALLS: '10', CAPTURE_MAX_MB: '1' })).toEqual({
      enabled: true,
      maxCalls: 10,
      maxBytes: 2 ** 20,
    });
    expect(() => captureSettingsFromEnv({ CAPTURE_MAX_CALLS: 'lots' })).toThrow(
      'CAPTURE_MAX_CALLS must be a positive number, got "lots"',
    );
  });
});

describe('CaptureRing.addRepeat', () => {
  it('keeps a call like the newest one with its own seq and times, and tells listeners', () => {
    const ring = new CaptureRing();
    const events: RingEvent[] = [];
    ring.subscribe((e) => events.push(e));
    const first = ring.add(capturedCall(1))!;
    expect(ring.addRepeat(first.startedAt + 7, 2.5)).toBe(2);
    const [a, b] = ring.list();
    expect(b).toEqual({ ...a, seq: 2, startedAt: first.startedAt + 7, durationMs: 2.5 });
    // Kept as the same run: one request and response for both.
    expect(b!.request).toBe(a!.request);
    expect(b!.response).toBe(a!.response);
    expect(events).toEqual([{ kind: 'call' }, { kind: 'call' }]);
    expect(ring.capacity()).toMatchObject({ calls: 2, bytes: 2 * approximateSize(a!) });
  });

  it('keeps the bounds: the oldest calls go as repeats come', () => {
    const ring = new CaptureRing({ maxCalls: 3 });
    ring.add(capturedCall(1));
    ring.add(capturedCall(2));
    for (let i = 0; i < 5; i++) ring.addRepeat(1_800_000_000_000 + i, 1);
    expect(ring.list().map((c) => c.seq)).toEqual([5, 6, 7]);
    expect(ring.list().map((c) => c.startedAt)).toEqual(
      range(1_800_000_000_002, 1_800_000_000_004),
    );
    expect(ring.capacity()).toMatchObject({ calls: 3, dropped: 4 });
  });

  it('keeps nothing with no newest call (empty, cleared) or with capture off', () => {
    const ring = new CaptureRing();
    expect(ring.addRepeat(1, 1)).toBeNull();
    ring.add(capturedCall(1));
    ring.clear();
    expect(ring.addRepeat(1, 1)).toBeNull();
    expect(ring.list()).toEqual([]);
    const off = new CaptureRing({ enabled: false });
    off.add(capturedCall(1));
    expect(off.addRepeat(1, 1)).toBeNull();
    expect(off.capacity().calls).toBe(0);
  });
});
