import { describe, expect, it } from 'vitest';
import type { CapturedCall, TrafficSnapshot } from '../../lib/api/traffic.ts';
import { createServerApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import {
  OUT_OF_STEP,
  parseCallEvent,
  parseCallRun,
  parseCleared,
} from '../../lib/traffic/parse.ts';
import { capturedCall, range } from './fixtures.ts';
import { readSse, type SseReader } from './sseReader.ts';

const ORIGIN = 'http://127.0.0.1:5173';

function server(capture = {}) {
  return createServerApp({ config: loadConfig({}), capture });
}

type App = ReturnType<typeof server>;

/** Opens the event stream as a browser tab would (same origin), optionally resuming. */
async function connect(app: App, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await app.app.fetch(
    new Request(`${ORIGIN}/api/traffic/events`, {
      headers: { 'Sec-Fetch-Site': 'same-origin', ...headers },
      signal: controller.signal,
    }),
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const sse = readSse(res.body!);
  const hello = await sse.next();
  expect(hello?.event).toBe('hello');
  return { sse, hello: JSON.parse(hello!.data), abort: () => controller.abort() };
}

/** Each stream's call event read last: what a repeat builds on, as in the browser (parse.ts). */
const lastRead = new WeakMap<SseReader, CapturedCall>();

async function calls(sse: SseReader, n: number): Promise<CapturedCall[]> {
  const out: CapturedCall[] = [];
  while (out.length < n) {
    const e = await sse.next();
    if (!e) throw new Error('stream ended');
    if (e.event === 'call' || e.event === 'calls') {
      const previous = lastRead.get(sse) ?? null;
      const read =
        e.event === 'call' ? parseCallEvent(e.data, previous) : parseCallRun(e.data, previous);
      if (read === null || read === OUT_OF_STEP) throw new Error(`unreadable: ${e.data}`);
      const got = Array.isArray(read) ? read : [read];
      lastRead.set(sse, got.at(-1)!);
      // An event's id is its last call's seq: where a reconnect resumes.
      expect(e.id).toBe(String(got.at(-1)!.seq));
      out.push(...got);
    }
  }
  return out;
}

/** The next `n` call events as sent: their data parsed, nothing rebuilt. */
/** Events as sent, until they carry `n` calls: each `call` event's data, each `calls` event's. */
async function rawEvents(
  sse: SseReader,
  n: number,
): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const out: { event: string; data: Record<string, unknown> }[] = [];
  let count = 0;
  while (count < n) {
    const e = await sse.next();
    if (!e) throw new Error('stream ended');
    if (e.event !== 'call' && e.event !== 'calls') continue;
    const data = JSON.parse(e.data) as Record<string, unknown>;
    out.push({ event: e.event, data });
    count += e.event === 'calls' ? (data.steps as number[]).length / 2 : 1;
  }
  return out;
}

describe('GET /api/traffic/events', () => {
  it('replays the ring on connect, then streams each new call live', async () => {
    const app = server();
    app.ring.add(capturedCall(1));
    const { sse, hello } = await connect(app);
    expect(hello).toMatchObject({ lastSeq: 1, capacity: { enabled: true, calls: 1 } });
    expect((await calls(sse, 1)).map((c) => c.seq)).toEqual([1]);
    app.ring.add(capturedCall(2));
    app.ring.add(capturedCall(3));
    const live = await calls(sse, 2);
    expect(live.map((c) => c.seq)).toEqual([2, 3]);
    expect(live[0]?.request.body).toContain('grant_type=authorization_code');
    await sse.close();
  });

  it('sends a call like the one before it as a repeat of that one, and the tab rebuilds it whole', async () => {
    const app = server();
    const { sse } = await connect(app);
    // One write: three like calls, another, one like that one, and one from another client.
    for (const i of [1, 1, 1, 2, 2]) app.ring.add({ ...capturedCall(i), durationMs: i * 10 });
    app.ring.add({ ...capturedCall(2), userAgent: 'python-requests/2.32' });
    const sent = await rawEvents(sse, 6);
    expect(sent.map((e) => e.event)).toEqual(['call', 'calls', 'call', 'calls', 'call']);
    // Alike but for their times: one event for the run, its times alone, as small integers (ms
    // after the call before, durations in tenths).
    expect(sent[1]!.data).toEqual({ from: 2, steps: [0, 100, 0, 100] });
    expect(JSON.stringify(sent[1]!.data).length).toBeLessThan(
      JSON.stringify(sent[0]!.data).length / 4,
    );
    expect(sent[3]!.data).toEqual({ from: 5, steps: [0, 200] });
    // The same exchange from another client: all but the request and response.
    const other = sent[4]!.data;
    expect(other).not.toHaveProperty('request');
    expect(other).not.toHaveProperty('response');
    expect(other).toMatchObject({ seq: 6, userAgent: 'python-requests/2.32', sameExchangeAs: 5 });
    await sse.close();
    // A tab reading the same stream from the start gets every call as the ring holds it.
    const again = await connect(app);
    const read = await calls(again.sse, 6);
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(app.ring.list())));
    await again.sse.close();
  });

  it('starts every write with a whole call: a backlog of like calls replays in readable chunks', async () => {
    const app = server();
    for (let i = 0; i < 120; i++) app.ring.add(capturedCall(3));
    const { sse } = await connect(app);
    const sent = await rawEvents(sse, 120);
    // The replay goes out 50 calls a write (routes.ts): each write's first call is sent whole,
    // the rest of it as one run.
    expect(
      sent.map((e) => e.data.seq ?? `${e.data.from}+${(e.data.steps as []).length / 2}`),
    ).toEqual([1, '2+49', 51, '52+49', 101, '102+19']);
    await sse.close();
    const again = await connect(app, { 'Last-Event-ID': '110' });
    expect((await calls(again.sse, 10)).map((c) => c.seq)).toEqual([
      111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
    ]);
    await again.sse.close();
  });

  it('misses nothing across a reconnect with Last-Event-ID', async () => {
    const app = server();
    const first = await connect(app);
    app.ring.add(capturedCall(1));
    app.ring.add(capturedCall(2));
    const seen = await calls(first.sse, 2);
    first.abort();
    await first.sse.close();
    // While the tab is away, three more calls go through.
    for (let i = 3; i <= 5; i++) app.ring.add(capturedCall(i));
    const again = await connect(app, { 'Last-Event-ID': String(seen.at(-1)!.seq) });
    app.ring.add(capturedCall(6));
    expect((await calls(again.sse, 4)).map((c) => c.seq)).toEqual([3, 4, 5, 6]);
    await again.sse.close();
  });

  it('keeps a tab that fell behind the ring: it gets what the ring holds, then goes on live', async () => {
    const app = server({ maxCalls: 10 });
    const tab = await connect(app);
    // Thirty calls in one tick, before the stream can write any: the ring keeps the last ten.
    for (let i = 1; i <= 30; i++) app.ring.add(capturedCall(i));
    expect((await calls(tab.sse, 10)).map((c) => c.seq)).toEqual(range(21, 30));
    app.ring.add(capturedCall(31));
    expect((await calls(tab.sse, 1))[0]?.seq).toBe(31);
    expect(app.ring.listenerCount).toBe(1);
    await tab.sse.close();
  });

  it('serves several tabs at once, and forgets a tab that went away', async () => {
    const app = server();
    const a = await connect(app);
    const b = await connect(app);
    expect(app.ring.listenerCount).toBe(2);
    app.ring.add(capturedCall(1));
    expect((await calls(a.sse, 1))[0]?.seq).toBe(1);
    expect((await calls(b.sse, 1))[0]?.seq).toBe(1);
    await a.sse.close();
    await b.sse.close();
    // The server notices on its next write or wake-up; a call wakes every stream.
    app.ring.add(capturedCall(2));
    await expect.poll(() => app.ring.listenerCount).toBe(0);
  });

  it('tells every tab when the ring is cleared', async () => {
    const app = server();
    const { sse } = await connect(app);
    const res = await app.app.fetch(
      new Request(`${ORIGIN}/api/traffic`, {
        method: 'DELETE',
        headers: { 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN },
      }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as TrafficSnapshot).calls).toEqual([]);
    expect((await sse.next())?.event).toBe('cleared');
    await sse.close();
  });

  it('says up to which seq a clear removed, before the calls after it', async () => {
    const app = server();
    const { sse } = await connect(app);
    for (let i = 1; i <= 3; i++) app.ring.add(capturedCall(i));
    await calls(sse, 3);
    // Cleared, then two calls, all before the stream's next write.
    app.ring.clear();
    app.ring.add(capturedCall(4));
    app.ring.add(capturedCall(5));
    const cleared = await sse.next();
    expect(cleared?.event).toBe('cleared');
    expect(parseCleared(cleared!.data)).toEqual({ lastSeq: 3 });
    expect((await calls(sse, 2)).map((c) => c.seq)).toEqual([4, 5]);
    await sse.close();
  });

  it('tells a tab that reconnects from a seq a clear removed, first, and no other tab', async () => {
    const app = server();
    for (let i = 1; i <= 3; i++) app.ring.add(capturedCall(i));
    app.ring.clear();
    app.ring.add(capturedCall(4));
    // Away during the clear: its newest call (3) is gone.
    const away = await connect(app, { 'Last-Event-ID': '3' });
    const first = await away.sse.next();
    expect(first?.event).toBe('cleared');
    expect(parseCleared(first!.data)).toEqual({ lastSeq: 3 });
    expect((await calls(away.sse, 1)).map((c) => c.seq)).toEqual([4]);
    await away.sse.close();
    // A tab that already has seq 4 (after the clear), or nothing, has nothing cleared to forget.
    for (const headers of [{ 'Last-Event-ID': '4' }, {}] as Record<string, string>[]) {
      const tab = await connect(app, headers);
      app.ring.add(capturedCall(5));
      const next = await tab.sse.next();
      expect(next?.event).not.toBe('cleared');
      await tab.sse.close();
    }
  });

  it('sends heartbeats while nothing happens', async () => {
    const { createTrafficRoutes } = await import('./routes.ts');
    const { CaptureRing } = await import('./ring.ts');
    const routes = createTrafficRoutes(new CaptureRing(), { heartbeatMs: 20 });
    const res = await routes.fetch(new Request(`${ORIGIN}/traffic/events`));
    const sse = readSse(res.body!);
    await sse.next();
    // Only comment lines come while nothing happens; wait for two (generously: a loaded machine).
    const deadline = Date.now() + 5000;
    while (sse.comments < 2 && Date.now() < deadline) {
      const event = await sse.next(50).catch(() => null);
      expect(event).toBeNull();
    }
    expect(sse.comments).toBeGreaterThanOrEqual(2);
    await sse.close();
  });

  it('writes a lone call at once, and calls that come fast together, one write per gap', async () => {
    const { createTrafficRoutes, BUSY_WRITE_CALLS } = await import('./routes.ts');
    const { CaptureRing } = await import('./ring.ts');
    const ring = new CaptureRing();
    const gapMs = 400;
    const routes = createTrafficRoutes(ring, { flushMs: 5, writeGapMs: gapMs });
    const res = await routes.fetch(new Request(`${ORIGIN}/traffic/events`));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    /** The next write: when it came, and how many calls it carried. */
    const nextWrite = async () => {
      const { value } = await reader.read();
      const text = decoder.decode(value);
      return { at: performance.now(), calls: text.match(/^event: call$/gm)?.length ?? 0 };
    };
    await nextWrite(); // hello
    // A call after a quiet spell goes out alone, well before the gap.
    let sent = performance.now();
    ring.add(capturedCall(1));
    const lone = await nextWrite();
    expect(lone.calls).toBe(1);
    expect(lone.at - sent).toBeLessThan(gapMs / 2);
    // Calls coming fast share one write; the ones after it wait for the gap, then share the next.
    for (let i = 0; i < BUSY_WRITE_CALLS; i++) ring.add(capturedCall(i));
    const burst = await nextWrite();
    expect(burst.calls).toBe(BUSY_WRITE_CALLS);
    for (let i = 0; i < 3; i++) ring.add(capturedCall(i));
    const after = await nextWrite();
    expect(after.calls).toBe(3);
    expect(after.at - burst.at).toBeGreaterThanOrEqual(gapMs - 20);
    // Once calls slow down, a call goes out at once again.
    sent = performance.now();
    ring.add(capturedCall(9));
    const calm = await nextWrite();
    expect(calm.calls).toBe(1);
    expect(calm.at - sent).toBeLessThan(gapMs / 2);
    await reader.cancel();
  });

  it('writes at once when half the ring waits for the gap, and keeps the tab', async () => {
    const { createTrafficRoutes, BUSY_WRITE_CALLS } = await import('./routes.ts');
    const { CaptureRing } = await import('./ring.ts');
    const ring = new CaptureRing({ maxCalls: 40 });
    const routes = createTrafficRoutes(ring, { flushMs: 5, writeGapMs: 5000 });
    const sse = readSse((await routes.fetch(new Request(`${ORIGIN}/traffic/events`))).body!);
    await sse.next(); // hello
    for (let i = 1; i <= BUSY_WRITE_CALLS; i++) ring.add(capturedCall(i));
    expect(await calls(sse, BUSY_WRITE_CALLS)).toHaveLength(BUSY_WRITE_CALLS);
    // Under load now; 30 more calls in a 40-call ring come well before the 5 s gap ends.
    const sent = performance.now();
    for (let i = 1; i <= 30; i++) ring.add(capturedCall(i));
    const next = await calls(sse, 30);
    expect(next.at(-1)?.seq).toBe(BUSY_WRITE_CALLS + 30);
    expect(performance.now() - sent).toBeLessThan(2500);
    await sse.close();
  });

  it('refuses a cross-site page, and a foreign Host', async () => {
    const app = server();
    const crossSite = await app.app.fetch(
      new Request(`${ORIGIN}/api/traffic/events`, {
        headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      }),
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: 'cross_site' } });
    const rebound = await app.app.fetch(
      new Request('http://evil.example:5173/api/traffic', { headers: { Host: 'evil.example' } }),
    );
    expect(rebound.status).toBe(421);
    expect(app.ring.listenerCount).toBe(0);
  });
});

describe('GET /api/traffic', () => {
  it('lists the ring oldest first with its bounds, and says when capture is off', async () => {
    const app = server({ maxCalls: 2 });
    for (let i = 1; i <= 3; i++) app.ring.add(capturedCall(i));
    const res = await app.app.fetch(new Request(`${ORIGIN}/api/traffic`));
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as TrafficSnapshot;
    expect(body.calls.map((c) => c.seq)).toEqual([2, 3]);
    expect(body.capacity).toMatchObject({ enabled: true, maxCalls: 2, calls: 2, dropped: 1 });

    const off = server({ enabled: false });
    off.ring.add(capturedCall(1));
    const offBody = (await (
      await off.app.fetch(new Request(`${ORIGIN}/api/traffic`))
    ).json()) as TrafficSnapshot;
    expect(offBody).toMatchObject({ calls: [], capacity: { enabled: false } });
  });
});

describe('sseText', () => {
  it('writes a run of repeats as their times alone only while every other field stays the same', async () => {
    const { sseText } = await import('./routes.ts');
    const first = { ...capturedCall(1), seq: 7 } as CapturedCall;
    const like = (seq: number, extra: Partial<CapturedCall>): CapturedCall => ({
      ...first,
      startedAt: first.startedAt + seq,
      durationMs: seq / 10,
      ...extra,
      seq,
    });
    const run = [
      first,
      like(8, {}),
      like(9, { userAgent: 'python-requests/2.32' }),
      like(10, { userAgent: 'python-requests/2.32' }),
      like(11, {
        userAgent: 'python-requests/2.32',
        refused: { kind: 'not_found', reason: 'Not a path it passes on.' },
      }),
      like(12, { userAgent: 'python-requests/2.32' }),
      like(13, {
        userAgent: 'python-requests/2.32',
        failure: { kind: 'timeout', message: 'late' },
      }),
      like(14, { userAgent: 'python-requests/2.32' }),
      like(15, { userAgent: 'python-requests/2.32', requestBodyTruncated: true }),
      like(16, { userAgent: null }),
      like(17, { userAgent: null, localPath: '/us/oauth2/access_token' }),
      like(18, { userAgent: null, localPath: '/us/oauth2/access_token', upstream: 'us' }),
    ];
    const events = [...sseText(run).matchAll(/^event: (.*)\nid: (.*)\ndata: (.*)$/gm)].map(
      ([, event, id, data]) => ({ event: event!, id: Number(id), data: data! }),
    );
    /** Everything but the seq and times, as JSON. */
    const rest = ({ seq: _s, startedAt: _t, durationMs: _d, ...other }: CapturedCall) =>
      JSON.stringify(other);
    // What each call should go out as: whole (the first), in a run (alike but for its times), or
    // a repeat of the exchange alone.
    const expected: { event: string; id: number; data: unknown }[] = [];
    for (const [i, call] of run.entries()) {
      const previous = run[i - 1];
      const { seq, startedAt, durationMs } = call;
      const last = expected.at(-1);
      if (previous && rest(call) === rest(previous)) {
        const step = [startedAt - previous.startedAt, durationMs * 10];
        if (last?.event === 'calls') {
          (last.data as { steps: number[] }).steps.push(...step);
          last.id = seq;
        } else {
          expected.push({ event: 'calls', id: seq, data: { from: seq, steps: step } });
        }
      } else if (previous) {
        const { request: _q, response: _r, ...exchangeless } = call;
        expected.push({
          event: 'call',
          id: seq,
          data: JSON.parse(JSON.stringify({ ...exchangeless, sameExchangeAs: previous.seq })),
        });
      } else {
        expected.push({ event: 'call', id: seq, data: JSON.parse(JSON.stringify(call)) });
      }
    }
    expect(events.map((e) => ({ ...e, data: JSON.parse(e.data) as unknown }))).toEqual(expected);
    expect(events.filter((e) => e.event === 'calls').map((e) => e.id)).toEqual([8, 10]);
    // A tab reading them one after the other rebuilds every call as it was.
    let previous: CapturedCall | null = null;
    const read: CapturedCall[] = [];
    for (const e of events) {
      const got =
        e.event === 'call' ? parseCallEvent(e.data, previous) : parseCallRun(e.data, previous);
      if (got === null || got === OUT_OF_STEP) throw new Error(`unreadable: ${e.data}`);
      read.push(...(Array.isArray(got) ? got : [got]));
      previous = read.at(-1)!;
    }
    expect(read).toEqual(JSON.parse(JSON.stringify(run)));
  });

  it('sends a repeat whose times a run cannot hold exactly as a repeat, rebuilt as it was', async () => {
    const { sseText } = await import('./routes.ts');
    const first = { ...capturedCall(1), seq: 1 } as CapturedCall;
    const calls: CapturedCall[] = [
      first,
      { ...first, seq: 2, startedAt: first.startedAt + 3, durationMs: 2.4 },
      { ...first, seq: 3, startedAt: first.startedAt + 4, durationMs: 1.25 }, // not whole tenths
      { ...first, seq: 4, startedAt: first.startedAt + 4.5, durationMs: 1 }, // not a whole ms
      { ...first, seq: 5, startedAt: first.startedAt + 5.5, durationMs: 1 }, // a whole ms after it
      { ...first, seq: 6, startedAt: first.startedAt - 6.5, durationMs: 0.1 }, // started earlier
    ];
    const text = sseText(calls);
    const events = [...text.matchAll(/^event: (.*)\nid: .*\ndata: (.*)$/gm)];
    expect(events.map(([, e]) => e)).toEqual(['call', 'calls', 'call', 'call', 'calls']);
    let previous: CapturedCall | null = null;
    const read: CapturedCall[] = [];
    for (const [, event, data] of events) {
      const got =
        event === 'call' ? parseCallEvent(data!, previous) : parseCallRun(data!, previous);
      if (got === null || got === OUT_OF_STEP) throw new Error(`unreadable: ${data}`);
      read.push(...(Array.isArray(got) ? got : [got]));
      previous = read.at(-1)!;
    }
    expect(read).toEqual(JSON.parse(JSON.stringify(calls)));
  });

  it('never puts calls whose seqs do not follow each other in one run', async () => {
    const { sseText } = await import('./routes.ts');
    const one = { ...capturedCall(1), seq: 1 } as CapturedCall;
    const three = { ...one, seq: 3, startedAt: one.startedAt + 2 };
    const text = sseText([one, three]);
    expect(text).not.toContain('event: calls');
    const [, second] = [...text.matchAll(/^data: (.*)$/gm)].map((m) => m[1]!);
    expect(parseCallEvent(second!, one)).toEqual(JSON.parse(JSON.stringify(three)));
  });
});
