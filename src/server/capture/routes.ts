/**
 * The live capture's routes, mounted under /api (so the Host and Origin guards cover them, the
 * event stream included). See src/lib/api/traffic.ts for the contract.
 */
import { Hono } from 'hono';
import type {
  CapturedCall,
  TrafficEventCleared,
  TrafficEventHello,
  TrafficSnapshot,
} from '../../lib/api/traffic.ts';
import { EventStream } from './eventStream.ts';
import type { CaptureRing, RingEvent } from './ring.ts';
import { sameDetails } from './share.ts';

export interface TrafficRouteOptions {
  /** A comment line this often keeps proxies and the server's idle timeout from closing the stream. */
  heartbeatMs?: number;
  /** How soon a browser reconnects after the stream drops (the SSE `retry` field). */
  retryMs?: number;
  /** How long a call after a quiet spell may wait for others to share its write. */
  flushMs?: number;
  /**
   * Under load (the last write carried BUSY_WRITE_CALLS calls or more), the least time between two
   * writes to one tab: every call that ended meanwhile goes in the next one. Fewer, larger writes
   * cost the server, and the tab, less than one every few milliseconds (an A/B of 5 ms against
   * 50 ms, with the apps in one process, moved p50 from about 1.14× to 1.06× of capture off; the
   * script was not kept). `npm run bench` prints the live view's delay under load this gives.
   */
  writeGapMs?: number;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_FLUSH_MS = 5;
export const DEFAULT_WRITE_GAP_MS = 50;
/** A write with this many calls says calls come fast: the next one waits for writeGapMs. */
export const BUSY_WRITE_CALLS = 16;

/** Last-Event-ID (header, as EventSource sends it on reconnect) or `?after=` for a first connect. */
function lastSeenSeq(header: string | undefined, query: string | undefined): number {
  const raw = header ?? query;
  if (raw === undefined || !/^\s*\d{1,15}\s*$/.test(raw)) return 0;
  return Number(raw);
}

/**
 * A repeat's fields other than its seq and times, as JSON without the braces: the same along a run
 * of like calls, so it is serialised once per run, not once per repeat.
 */
function repeatTail(call: CapturedCall): string {
  const {
    request: _request,
    response: _response,
    seq: _seq,
    startedAt: _startedAt,
    durationMs: _durationMs,
    ...rest
  } = call;
  return JSON.stringify(rest).slice(1, -1);
}

/** A backlog (on connect) goes out this many calls a write, each write readable on its own. */
export const BACKLOG_CALLS_PER_WRITE = 50;

/**
 * Calls in SSE's text form, for one write. JSON never holds a raw line break, so each event is
 * one `data:` line; built by hand because many calls go out in one write when calls come fast.
 * A call like the call before it in the same write (the ring shares their request and response,
 * see share.ts) is sent as what differs: when every other field is the same too, only its times
 * (as small integers), in one CallRunEvent (`event: calls`) for the whole run of such calls; else
 * a RepeatedCallEvent (all but the request and response). Under load, when one client repeats one
 * call, the stream carries a fraction of the bytes, and the server and the tab serialise and
 * parse a fraction of the JSON. The first call of a write is always whole.
 */
export function sseText(calls: readonly CapturedCall[]): string {
  let out = '';
  let previous: CapturedCall | undefined;
  let tail: { of: CapturedCall; json: string } | undefined;
  /** The steps of the run of calls alike but for their times, not yet written (CallRunEvent). */
  let run = '';
  let runFrom = 0;
  const endRun = () => {
    if (run === '') return;
    out += `event: calls\nid: ${previous!.seq}\ndata: {"from":${runFrom},"steps":[${run}]}\n\n`;
    run = '';
  };
  for (const call of calls) {
    const repeat =
      previous !== undefined &&
      call.request === previous.request &&
      call.response === previous.response;
    // A run's steps are exact: the tab rebuilds each time as the previous start plus the step and
    // the tenths over ten, so a call goes in only when that arithmetic gives its times back (whole
    // ms apart, as Date.now() times are; durations in whole tenths, as the pass-through rounds
    // them). Any other call goes out as a repeat, its times as they are.
    const step = repeat ? call.startedAt - previous!.startedAt : NaN;
    const tenths = Math.round(call.durationMs * 10);
    if (
      repeat &&
      call.seq === previous!.seq + 1 &&
      sameDetails(call, previous!) &&
      Number.isSafeInteger(step) &&
      previous!.startedAt + step === call.startedAt &&
      tenths / 10 === call.durationMs
    ) {
      if (run === '') runFrom = call.seq;
      else run += ',';
      run += `${step},${tenths}`;
      previous = call;
      continue;
    }
    endRun();
    let data: string;
    if (repeat) {
      if (!tail || !sameDetails(call, tail.of)) tail = { of: call, json: repeatTail(call) };
      // JSON.stringify writes a finite number as String does.
      const times = `{"seq":${call.seq},"startedAt":${call.startedAt},"durationMs":${call.durationMs}`;
      data = `${times},${tail.json},"sameExchangeAs":${previous!.seq}}`; // a RepeatedCallEvent
    } else {
      data = JSON.stringify(call);
    }
    out += `event: call\nid: ${call.seq}\ndata: ${data}\n\n`;
    previous = call;
  }
  endRun();
  return out;
}

/** What a tab is told of the ring's last clear: up to which seq its calls are gone. */
const clearedEvent = (ring: CaptureRing) =>
  `event: cleared\ndata: ${JSON.stringify({ lastSeq: ring.clearedAt } satisfies TrafficEventCleared)}\n\n`;

export function createTrafficRoutes(ring: CaptureRing, options: TrafficRouteOptions = {}): Hono {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const retryMs = options.retryMs ?? 1000;
  const flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
  const writeGapMs = options.writeGapMs ?? DEFAULT_WRITE_GAP_MS;
  const app = new Hono();

  app.get('/traffic', (c) =>
    c.json({ calls: ring.list(), capacity: ring.capacity() } satisfies TrafficSnapshot),
  );

  app.delete('/traffic', (c) => {
    ring.clear();
    return c.json({ calls: [], capacity: ring.capacity() } satisfies TrafficSnapshot);
  });

  app.get('/traffic/events', (c) => {
    const after = lastSeenSeq(c.req.header('last-event-id'), c.req.query('after'));
    const stream = new EventStream();
    void (async () => {
      // The newest call this tab has: each write reads what came after it from the ring itself.
      // Nothing is queued per tab (no call object is kept alive until the next write, see
      // ring.ts), and a tab that falls behind costs no memory: it gets what the ring still holds,
      // as it would after a reconnect. An `after` beyond the newest seq was another server
      // lifetime's (a restart): the tab gets everything.
      let cursor = after > ring.lastSeq ? 0 : after;
      /**
       * The ring was emptied since the last write: the next one says so first. A tab reconnecting
       * from a seq a clear removed (it was away when the others heard of it) is told at once: what
       * it lists was cleared.
       */
      let cleared = cursor > 0 && cursor <= ring.clearedAt;
      let wake: (() => void) | null = null;
      let flush: ReturnType<typeof setTimeout> | null = null;
      /** The flush time came while a write was under way: write again at once. */
      let due = false;
      /** When the next write may go out: soon after a quiet spell, later under load. */
      let nextWrite = 0;
      const listener = (event: RingEvent) => {
        if (event.kind === 'cleared') cleared = true;
        // Half the ring waiting: written now, not held for the gap (a small CAPTURE_MAX_CALLS
        // must not lose calls for a tab that keeps up).
        if (ring.lastSeq - cursor >= ring.settings.maxCalls / 2) wake?.();
        // One write for every call that ended meanwhile, not one per call: after a quiet spell
        // within flushMs, under load at most one per writeGapMs.
        flush ??= setTimeout(
          () => {
            flush = null;
            if (wake) wake();
            else due = true;
          },
          Math.max(flushMs, nextWrite - performance.now()),
        );
      };
      /**
       * What the ring got since the last write, `perWrite` calls a write (live: all in one, as
       * each extra write starts with a whole call); false when there was nothing to write.
       */
      const writeNew = async (perWrite = Infinity): Promise<boolean> => {
        // Read and marked as written in one tick: a call added meanwhile goes in the next write.
        const calls = ring.since(cursor);
        const clear = cleared;
        cleared = false;
        if (calls.length > 0) cursor = calls.at(-1)!.seq;
        if (calls.length === 0 && !clear) return false;
        if (calls.length >= BUSY_WRITE_CALLS) nextWrite = performance.now() + writeGapMs;
        if (calls.length === 0) await stream.write(clearedEvent(ring));
        for (let i = 0; i < calls.length && !stream.aborted; i += perWrite) {
          const text = sseText(calls.slice(i, i + perWrite));
          await stream.write(i === 0 && clear ? clearedEvent(ring) + text : text);
        }
        return true;
      };
      // Subscribed in the same tick as the cursor is set: no call can fall between the two.
      ring.subscribe(listener);
      stream.onAbort(() => {
        ring.unsubscribe(listener);
        wake?.();
      });
      try {
        const hello: TrafficEventHello = { capacity: ring.capacity(), lastSeq: ring.lastSeq };
        await stream.write(`event: hello\ndata: ${JSON.stringify(hello)}\nretry: ${retryMs}\n\n`);
        await writeNew(BACKLOG_CALLS_PER_WRITE);
        while (!stream.aborted && !stream.closed) {
          let quiet = false;
          if (!due) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(() => {
                quiet = true;
                resolve();
              }, heartbeatMs);
            });
            clearTimeout(timer);
            wake = null;
          }
          due = false;
          if (stream.aborted) break;
          if (!(await writeNew()) && quiet) await stream.write(': heartbeat\n\n');
        }
      } finally {
        ring.unsubscribe(listener);
        if (flush) clearTimeout(flush);
        stream.close();
      }
      // Closed above either way: the tab reconnects with Last-Event-ID and misses nothing.
    })().catch(() => undefined);
    return c.body(stream.body, 200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'Transfer-Encoding': 'chunked',
      Connection: 'keep-alive',
    });
  });
  return app;
}
