/**
 * The live capture's routes, mounted under /api (so the Host and Origin guards cover them, the
 * event stream included). See src/lib/api/traffic.ts for the contract.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type {
  CapturedCall,
  RepeatedCallEvent,
  TrafficEventHello,
  TrafficSnapshot,
} from '../../lib/api/traffic.ts';
import type { CaptureRing, RingEvent } from './ring.ts';

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

/** A call whose request and response are the previous event's: the rest, and whose they are. */
function repeatJson(call: CapturedCall, previous: number): string {
  const { request: _request, response: _response, ...rest } = call;
  return JSON.stringify({ ...rest, sameExchangeAs: previous } satisfies RepeatedCallEvent);
}

/**
 * Events in SSE's text form, for one write. JSON never holds a raw line break, so each call is one
 * `data:` line; built by hand because many go out in one write when calls come fast. A call with
 * the very request and response of the call before it in the same write (the ring shares them,
 * see share.ts) leaves them out and names that call: under load, when one client repeats one call,
 * the stream carries a fraction of the bytes and the server and the tab serialise and parse a
 * fraction of the JSON.
 */
export function sseText(events: readonly RingEvent[]): string {
  let out = '';
  let previous: CapturedCall | undefined;
  for (const event of events) {
    if (event.kind === 'cleared') {
      out += 'event: cleared\ndata: \n\n';
      previous = undefined;
      continue;
    }
    const { call } = event;
    const data =
      previous && call.request === previous.request && call.response === previous.response
        ? repeatJson(call, previous.seq)
        : JSON.stringify(call);
    out += `event: call\nid: ${call.seq}\ndata: ${data}\n\n`;
    previous = call;
  }
  return out;
}

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
    return streamSSE(c, async (stream) => {
      // Take the backlog and subscribe in the same tick: no call can fall between the two.
      const backlog = ring.since(after);
      const queue: RingEvent[] = [];
      let overflow = false;
      let wake: (() => void) | null = null;
      let flush: ReturnType<typeof setTimeout> | null = null;
      /** The flush time came while a write was under way: write again at once. */
      let due = false;
      /** When the next write may go out: soon after a quiet spell, later under load. */
      let nextWrite = 0;
      const listener = (event: RingEvent) => {
        // A listener that cannot keep up is closed rather than buffered without bound: it
        // reconnects with Last-Event-ID and the ring replays what it missed.
        if (queue.length >= ring.settings.maxCalls) overflow = true;
        else queue.push(event);
        // Half the ring waiting: written now, not held for the gap (a small CAPTURE_MAX_CALLS
        // must not close a tab that keeps up).
        if (queue.length >= ring.settings.maxCalls / 2) wake?.();
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
      ring.subscribe(listener);
      stream.onAbort(() => {
        ring.unsubscribe(listener);
        wake?.();
      });
      try {
        const hello: TrafficEventHello = { capacity: ring.capacity(), lastSeq: ring.lastSeq };
        await stream.writeSSE({ event: 'hello', data: JSON.stringify(hello), retry: retryMs });
        for (let i = 0; i < backlog.length; i += 50) {
          await stream.write(
            sseText(backlog.slice(i, i + 50).map((call) => ({ kind: 'call', call }))),
          );
        }
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
          if (overflow || stream.aborted) break;
          if (queue.length === 0) {
            if (quiet) await stream.write(': heartbeat\n\n');
            continue;
          }
          const events = queue.splice(0);
          if (events.length >= BUSY_WRITE_CALLS) nextWrite = performance.now() + writeGapMs;
          await stream.write(sseText(events));
        }
      } finally {
        ring.unsubscribe(listener);
        if (flush) clearTimeout(flush);
      }
    });
  });
  return app;
}
