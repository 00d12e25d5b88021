// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CapturedCall } from '../api/traffic.ts';
import type { Diagnosis } from '../triage/types.ts';
import { sameDiagnoses, TrafficLive } from './live.svelte.ts';

/** The browser's EventSource, driven by the test. */
class FakeEventSource {
  static CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = 1;
  url: string;
  #listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), fn]);
  }
  emit(type: string, data = '') {
    for (const fn of this.#listeners.get(type) ?? []) fn(new MessageEvent(type, { data }));
  }
  close() {
    this.readyState = 2;
  }
}

function token(seq: number, code: string, status: number, at = seq * 1000): CapturedCall {
  return {
    seq,
    startedAt: 1_700_000_000_000 + at,
    durationMs: 5,
    upstream: 'simulator',
    localPath: '/oauth2/access_token',
    userAgent: 'curl/8.5.0',
    requestBodyTruncated: false,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:5173/sim/oauth2/access_token',
      headers: [['content-type', 'application/x-www-form-urlencoded']],
      body: `grant_type=authorization_code&client_id=c&client_secret=s&code=${code}`,
    },
    response: {
      status,
      statusText: '',
      headers: [['content-type', 'application/json']],
      body:
        status === 200
          ? `{"access_token":"${'a'.repeat(40)}","token_type":"Bearer","expires_in":31535999,"scope":"read","refresh_token":"${'r'.repeat(40)}"}`
          : '{"error":"invalid_grant"}',
      truncated: false,
    },
    failure: null,
  };
}

const hello = (lastSeq: number, calls = 0, dropped = 0) =>
  JSON.stringify({
    lastSeq,
    capacity: { enabled: true, maxCalls: 1000, maxBytes: 1, calls, bytes: 0, dropped },
  });

let live: TrafficLive;
let source: FakeEventSource;
beforeEach(() => {
  vi.stubGlobal('EventSource', FakeEventSource);
  // Each call listed as its event comes; the batching is tested on its own below.
  live = new TrafficLive(1000, 0);
  live.start();
  source = FakeEventSource.last!;
  source.emit('open');
  source.emit('hello', hello(0));
});
afterEach(() => {
  live.stop();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('TrafficLive', () => {
  it('lists calls as they arrive, judges each at once and triages against the others', async () => {
    expect(source.url).toBe('/api/traffic/events');
    expect(live.status).toBe('live');
    source.emit('call', JSON.stringify(token(1, 'c0de', 200)));
    source.emit('call', JSON.stringify(token(2, 'c0de', 400)));
    expect(live.rows.map((r) => [r.call.seq, r.kind, r.verdict.summary, r.client.kind])).toEqual([
      [1, 'exchange', '200: a token pair', 'curl'],
      [2, 'exchange', '400 invalid_grant', 'curl'],
    ]);
    await vi.waitFor(() => expect(live.rows[1]?.diagnoses?.[0]?.rule).toBe('code_reused'));
    expect(live.rows[0]?.diagnoses).toEqual([]);
  });

  it('triages a call again when a newer call can change it, and redraws it only if that changes it', async () => {
    const refresh = (seq: number, status: number, at: number, rt = 'r'): CapturedCall => ({
      ...token(seq, 'x', status, at),
      durationMs: 50,
      request: {
        ...token(seq, 'x', status, at).request,
        body: `grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=${rt.repeat(40)}`,
      },
    });
    // Far before the race, a call no one raced: triaged once, never again.
    source.emit('call', JSON.stringify(token(1, 'far', 200, 0)));
    await vi.waitFor(() => expect(live.rows[0]?.diagnoses).toEqual([]));
    const far = live.rows[0];
    // The loser of a race is listed (and triaged) before its winner, which started 10 ms later.
    source.emit('call', JSON.stringify(refresh(2, 400, 60_000)));
    await vi.waitFor(() => expect(live.rows[1]?.diagnoses).not.toBeNull());
    expect(live.rows[1]?.diagnoses?.map((d) => d.rule)).not.toContain('refresh_race');
    source.emit('call', JSON.stringify(refresh(3, 200, 60_010)));
    await vi.waitFor(() => expect(live.rows[1]?.diagnoses?.[0]?.rule).toBe('refresh_race'));
    await vi.waitFor(() => expect(live.rows[2]?.diagnoses).toEqual([]));
    // Another refresh: the loser is triaged again, to the same diagnoses, and left as it was.
    const loser = live.rows[1];
    const winner = live.rows[2];
    source.emit('call', JSON.stringify(refresh(4, 200, 60_020, 'q')));
    await vi.waitFor(() => expect(live.rows[3]?.diagnoses).toEqual([]));
    expect(live.rows[1]).toBe(loser);
    expect(live.rows[2]).toBe(winner);
    expect(live.rows[0]).toBe(far);
  });

  it('sameDiagnoses: equal only field for field', () => {
    const d: Diagnosis = {
      rule: 'refresh_race',
      severity: 'error',
      title: 't',
      cause: 'c',
      next: 'n',
      evidence: ['e1', 'e2'],
      docs: 'https://example.test/docs',
    };
    expect(sameDiagnoses([d], [{ ...d, evidence: ['e1', 'e2'] }])).toBe(true);
    expect(sameDiagnoses([], [])).toBe(true);
    expect(sameDiagnoses(null, [])).toBe(false);
    expect(sameDiagnoses([d], [])).toBe(false);
    for (const other of [
      { rule: 'code_reused' as const },
      { severity: 'warning' as const },
      { title: 'u' },
      { cause: 'd' },
      { next: 'm' },
      { docs: undefined },
      { evidence: ['e1'] },
      { evidence: ['e1', 'e3'] },
    ]) {
      expect(sameDiagnoses([d], [{ ...d, ...other }])).toBe(false);
    }
  });

  it('skips what a reconnect replays, and refuses data that is not a call', () => {
    source.emit('call', JSON.stringify(token(1, 'a', 200)));
    source.emit('call', JSON.stringify(token(1, 'a', 200)));
    source.emit('call', '{"seq":2}');
    expect(live.rows).toHaveLength(1);
  });

  it('rebuilds a repeated call from the one before, and reads the stream again when out of step', () => {
    const first = token(1, 'a', 200);
    const { request: _q, response: _r, ...rest } = first;
    source.emit('call', JSON.stringify(first));
    source.emit('call', JSON.stringify({ ...rest, seq: 2, durationMs: 9, sameExchangeAs: 1 }));
    source.emit('calls', JSON.stringify({ from: 3, steps: [0, 40, 2, 60] }));
    expect(
      live.rows.map((r) => [
        r.call.seq,
        r.call.startedAt - first.startedAt,
        r.call.durationMs,
        r.call.request.body,
      ]),
    ).toEqual([
      [1, 0, 5, first.request.body],
      [2, 0, 9, first.request.body],
      [3, 0, 4, first.request.body],
      [4, 2, 6, first.request.body],
    ]);
    // A run after a call this tab did not just read: not shown; the stream is opened again
    // after the newest call held, and the server replays from there.
    const stale = source;
    source.emit('calls', JSON.stringify({ from: 6, steps: [0, 10] }));
    expect(live.rows).toHaveLength(4);
    expect(stale.readyState).toBe(FakeEventSource.CLOSED);
    source = FakeEventSource.last!;
    expect(source).not.toBe(stale);
    expect(source.url).toBe('/api/traffic/events?after=4');
    source.emit('open');
    source.emit('hello', hello(6));
    source.emit('call', JSON.stringify(token(5, 'b', 200)));
    source.emit('call', JSON.stringify({ ...rest, seq: 6, sameExchangeAs: 5 }));
    expect(live.rows.map((r) => r.call.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(live.rows[5]!.call.request.body).toContain('code=b');
    // A repeat of a call this tab did not just read: the same.
    const stale2 = source;
    source.emit('call', JSON.stringify({ ...rest, seq: 8, sameExchangeAs: 7 }));
    expect(live.rows).toHaveLength(6);
    expect(stale2.readyState).toBe(FakeEventSource.CLOSED);
    expect(FakeEventSource.last!.url).toBe('/api/traffic/events?after=6');
    // Opened again later (the section left and shown again): from the start, as any first time.
    live.stop();
    live.start();
    source = FakeEventSource.last!;
    expect(source.url).toBe('/api/traffic/events');
  });

  it('holds calls while paused and shows them, in order, on resume', () => {
    live.pause();
    source.emit('call', JSON.stringify(token(1, 'a', 200)));
    source.emit('call', JSON.stringify(token(2, 'b', 200)));
    expect(live.rows).toHaveLength(0);
    expect(live.held).toHaveLength(2);
    live.resume();
    expect(live.rows.map((r) => r.call.seq)).toEqual([1, 2]);
    expect(live.held).toEqual([]);
  });

  it('forgets what a clear removed while it was away, told as it reconnects', () => {
    for (const seq of [1, 2, 3]) source.emit('call', JSON.stringify(token(seq, 'a', 200)));
    // Another tab cleared at seq 3; two calls came after. On reconnecting from seq 3, this tab is
    // told of the clear first, then gets the two calls.
    source.emit('hello', hello(5, 2, 0));
    source.emit('cleared', JSON.stringify({ lastSeq: 3 }));
    for (const seq of [4, 5]) source.emit('call', JSON.stringify(token(seq, 'a', 200)));
    expect(live.rows.map((r) => r.call.seq)).toEqual([4, 5]);
    expect(live.notListed).toBe(0);
  });

  it('empties on cleared, and after a server restart (its seq numbers start again)', () => {
    source.emit('call', JSON.stringify(token(5, 'a', 200)));
    source.emit('cleared');
    expect(live.rows).toEqual([]);
    source.emit('call', JSON.stringify(token(6, 'a', 200)));
    source.emit('hello', hello(1));
    expect(live.rows).toEqual([]);
    source.emit('call', JSON.stringify(token(1, 'b', 200)));
    expect(live.rows.map((r) => r.call.seq)).toEqual([1]);
  });

  it('filters by status, path and client', () => {
    source.emit('call', JSON.stringify(token(1, 'a', 200)));
    source.emit('call', JSON.stringify(token(2, 'a', 400)));
    live.filter.status = 'failed';
    expect(live.shown.map((r) => r.call.seq)).toEqual([2]);
    live.filter.status = 'all';
    live.filter.client = 'python';
    expect(live.shown).toEqual([]);
  });

  it('speaks once per burst in the live region, not once per row', () => {
    vi.useFakeTimers();
    for (let i = 1; i <= 5; i++)
      source.emit('call', JSON.stringify(token(i, `c${i}`, i === 3 ? 400 : 200)));
    expect(live.announcement).toBe('');
    vi.advanceTimersByTime(3000);
    expect(live.announcement).toBe('5 new calls, 1 failed');
  });

  it('Clear asks the server to empty the capture (every tab), and says when it cannot', async () => {
    source.emit('call', JSON.stringify(token(1, 'a', 200)));
    const calls: [string, RequestInit | undefined][] = [];
    const ok = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    await live.clear(ok);
    expect(calls).toEqual([['/api/traffic', { method: 'DELETE' }]]);
    expect(live.rows).toEqual([]);
    source.emit('call', JSON.stringify(token(2, 'b', 200)));
    const refused = (async () => new Response('{}', { status: 403 })) as typeof fetch;
    await expect(live.clear(refused)).rejects.toThrow(
      'The local server refused to clear the capture (403).',
    );
    expect(live.rows).toHaveLength(1);
  });

  it('Clear keeps the calls after the clear when the stream says so before the answer comes', async () => {
    source.emit('call', JSON.stringify(token(1, 'a', 200)));
    // The stream's cleared event, and a call after the clear, arrive before the DELETE's answer.
    const slow = (async () => {
      source.emit('cleared', JSON.stringify({ lastSeq: 1 }));
      source.emit('call', JSON.stringify(token(2, 'b', 200)));
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    await live.clear(slow);
    expect(live.rows.map((r) => r.call.seq)).toEqual([2]);
  });

  it('lists a burst of calls together, in order, and none lost across a hello or a clear', async () => {
    const batched = new TrafficLive();
    batched.start();
    const es = FakeEventSource.last!;
    es.emit('open');
    es.emit('hello', hello(0));
    for (let i = 1; i <= 200; i++) es.emit('call', JSON.stringify(token(i, `c${i}`, 200)));
    // Not yet: the burst is listed once, a moment later.
    expect(batched.rows).toHaveLength(0);
    await vi.waitFor(() => expect(batched.rows).toHaveLength(200));
    expect(batched.rows.map((r) => r.call.seq)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    // A hello lists what came before it first; a clear drops what came before it.
    es.emit('call', JSON.stringify(token(201, 'x', 200)));
    es.emit('hello', hello(201));
    expect(batched.rows.at(-1)?.call.seq).toBe(201);
    es.emit('call', JSON.stringify(token(202, 'y', 200)));
    es.emit('cleared');
    es.emit('call', JSON.stringify(token(203, 'z', 200)));
    await vi.waitFor(() => expect(batched.rows.map((r) => r.call.seq)).toEqual([203]));
    batched.stop();
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const small = new TrafficLive(3);
    small.add([1, 2, 3, 4, 5].map((i) => token(i, `c${i}`, 200)));
    expect(small.rows.map((r) => r.call.seq)).toEqual([3, 4, 5]);
    small.stop();
  });
});

describe('TrafficLive: calls not listed', () => {
  const open = (limit: number, lastSeq = 0, calls = 0, dropped = 0) => {
    const view = new TrafficLive(limit, 0);
    view.start();
    const es = FakeEventSource.last!;
    es.emit('open');
    es.emit('hello', hello(lastSeq, calls, dropped));
    return { view, es };
  };

  it('counts what the server dropped before this tab read it: the gap before the first call', () => {
    // The capture was cleared at seq 100; since then 50 calls, of which the ring dropped 20.
    const { view, es } = open(1000, 150, 30, 20);
    for (let seq = 121; seq <= 150; seq++) es.emit('call', JSON.stringify(token(seq, 'a', 200)));
    expect(view.rows).toHaveLength(30);
    expect(view.notListed).toBe(20);
    view.stop();
  });

  it('counts the gaps in the seqs it reads, not what a reconnect replays', () => {
    const { view, es } = open(1000);
    for (const seq of [1, 2, 6, 7, 7, 2, 10]) es.emit('call', JSON.stringify(token(seq, 'a', 200)));
    expect(view.rows.map((r) => r.call.seq)).toEqual([1, 2, 6, 7, 10]);
    expect(view.notListed).toBe(5); // 3-5 and 8-9
    // A reconnect: the hello does not move where this tab counts from.
    es.emit('hello', hello(12, 12, 0));
    es.emit('call', JSON.stringify(token(11, 'a', 200)));
    es.emit('call', JSON.stringify(token(12, 'a', 200)));
    expect(view.notListed).toBe(5);
    view.stop();
  });

  it('counts what its own limit pushes out, listed or held while paused', () => {
    const { view, es } = open(3);
    for (let seq = 1; seq <= 5; seq++) es.emit('call', JSON.stringify(token(seq, 'a', 200)));
    expect(view.rows.map((r) => r.call.seq)).toEqual([3, 4, 5]);
    expect(view.notListed).toBe(2);
    view.pause();
    for (let seq = 6; seq <= 10; seq++) es.emit('call', JSON.stringify(token(seq, 'a', 200)));
    expect(view.held.map((r) => r.call.seq)).toEqual([8, 9, 10]);
    expect(view.notListed).toBe(4);
    view.resume();
    expect(view.rows.map((r) => r.call.seq)).toEqual([8, 9, 10]);
    expect(view.notListed).toBe(7); // 1-7: every call before the three listed
    view.stop();
  });

  it('lists what arrived in the next frame, together; where there are no frames, after a time', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (run: FrameRequestCallback) => frames.push(run));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    const view = new TrafficLive(1000, 20);
    view.start();
    const es = FakeEventSource.last!;
    es.emit('open');
    es.emit('hello', hello(0));
    es.emit('call', JSON.stringify(token(1, 'a', 200)));
    es.emit('call', JSON.stringify(token(2, 'b', 200)));
    await new Promise((r) => setTimeout(r, 40));
    expect(view.rows).toHaveLength(0); // no frame drawn yet
    expect(frames).toHaveLength(1); // one frame lists both
    frames.shift()!(0);
    expect(view.rows.map((r) => r.call.seq)).toEqual([1, 2]);
    vi.stubGlobal('requestAnimationFrame', undefined);
    es.emit('call', JSON.stringify(token(3, 'c', 200)));
    await vi.waitFor(() => expect(view.rows.map((r) => r.call.seq)).toEqual([1, 2, 3]));
    view.stop();
  });

  it('counts a burst too large to list, in every place it is cut', async () => {
    const view = new TrafficLive(2, 20);
    view.start();
    const es = FakeEventSource.last!;
    es.emit('open');
    es.emit('hello', hello(0));
    for (let seq = 1; seq <= 10; seq++) es.emit('call', JSON.stringify(token(seq, 'a', 200)));
    await vi.waitFor(() => expect(view.rows.map((r) => r.call.seq)).toEqual([9, 10]));
    expect(view.notListed).toBe(8);
    view.stop();
  });

  it('starts again at nothing on a clear and on a server restart', () => {
    const { view, es } = open(1000);
    es.emit('call', JSON.stringify(token(5, 'a', 200)));
    expect(view.notListed).toBe(4);
    es.emit('cleared', JSON.stringify({ lastSeq: 6 }));
    expect(view.notListed).toBe(0);
    // Cleared at seq 6: seqs 7 and 8 came and were dropped before this tab read them.
    es.emit('call', JSON.stringify(token(9, 'a', 200)));
    expect(view.notListed).toBe(2);
    es.emit('cleared', JSON.stringify({ lastSeq: 9 }));
    expect(view.notListed).toBe(0);
    // A cleared event without its seq (a server from before it said one): the first call after
    // it starts the count.
    es.emit('cleared');
    es.emit('call', JSON.stringify(token(9, 'a', 200)));
    es.emit('call', JSON.stringify(token(11, 'a', 200)));
    expect(view.notListed).toBe(1);
    es.emit('hello', hello(3, 3, 0)); // restarted: its seqs start from 1 again
    expect(view.notListed).toBe(0);
    es.emit('call', JSON.stringify(token(2, 'a', 200)));
    expect(view.notListed).toBe(1);
    view.stop();
  });
});
