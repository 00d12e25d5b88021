/**
 * The live capture's memory: the last calls through the pass-through, bounded by count and by
 * size (oldest dropped first), in this process only. Never written to disk or to the log: the
 * calls hold raw secrets, and only the local browser, behind the /api guards, may read them.
 */
import type { CapturedCall, TrafficCapacity } from '../../lib/api/traffic.ts';
import { sameDetails, shareWithPrevious, type CallDetails } from './share.ts';

export const DEFAULT_CAPTURE_MAX_CALLS = 1000;
export const DEFAULT_CAPTURE_MAX_BYTES = 50 * 1024 * 1024;

export interface CaptureSettings {
  /** false: nothing is kept or sent (`CAPTURE=0`). */
  enabled: boolean;
  maxCalls: number;
  maxBytes: number;
}

/**
 * What a live listener is told: a call came (it reads the ring for it), or the ring was emptied.
 * One object each, made once: a listener is told of every call, thousands a second under load.
 */
export type RingEvent = { readonly kind: 'call' } | { readonly kind: 'cleared' };
export type RingListener = (event: RingEvent) => void;
const CALL_EVENT: RingEvent = Object.freeze({ kind: 'call' });
const CLEARED_EVENT: RingEvent = Object.freeze({ kind: 'cleared' });

/** `CAPTURE=0` turns capture off; `CAPTURE_MAX_CALLS` and `CAPTURE_MAX_MB` move the bounds. */
export function captureSettingsFromEnv(env: Record<string, string | undefined>): CaptureSettings {
  const positive = (raw: string | undefined, fallback: number, name: string) => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
    }
    return n;
  };
  const flag = (env.CAPTURE ?? '1').trim().toLowerCase();
  return {
    enabled: !['0', 'false', 'off', 'no'].includes(flag),
    maxCalls: Math.floor(
      positive(env.CAPTURE_MAX_CALLS, DEFAULT_CAPTURE_MAX_CALLS, 'CAPTURE_MAX_CALLS'),
    ),
    maxBytes: Math.floor(
      positive(env.CAPTURE_MAX_MB, DEFAULT_CAPTURE_MAX_BYTES / 2 ** 20, 'CAPTURE_MAX_MB') * 2 ** 20,
    ),
  };
}

function headersSize(headers: ReadonlyArray<readonly [string, string]>): number {
  let n = 0;
  for (const [k, v] of headers) n += k.length + v.length + 4;
  return n;
}

/**
 * About what a call holds in memory, in bytes: its strings (bodies, headers, URLs) counted at one
 * byte per character, plus a fixed overhead for the objects. Cheap and monotonic, which is all the
 * bound needs. A request or response shared with the call before (share.ts) is counted again for
 * each call: the bound errs on the safe side.
 */
export function approximateSize(call: CapturedCall | Omit<CapturedCall, 'seq'>): number {
  const res = call.response;
  return (
    256 +
    call.request.url.length +
    call.localPath.length +
    (call.userAgent?.length ?? 0) +
    headersSize(call.request.headers) +
    (call.request.body?.length ?? 0) +
    (res ? headersSize(res.headers) + res.body.length + res.statusText.length : 0) +
    (call.failure?.message.length ?? 0)
  );
}

type NewCall = CapturedCall | Omit<CapturedCall, 'seq'>;

/** A call but for its seq and times: the newest call, as the ring keeps its run. */
export interface NewestCall extends Readonly<CallDetails> {
  readonly request: CapturedCall['request'];
  readonly response: CapturedCall['response'];
}

/**
 * What a run of like calls has in common: everything but the seq and times. One client repeating
 * one call makes thousands a second that differ in nothing else; the ring keeps one of these for
 * the whole run, and each call of it costs two numbers and a reference.
 */
interface Like extends NewestCall {
  /** approximateSize of each call of the run. */
  readonly size: number;
}

/** True when `call` (its request and response already shared, see share.ts) is of `like`'s run. */
const isOf = (call: NewCall, like: Like) =>
  call.request === like.request && call.response === like.response && sameDetails(call, like);

/** Slots allocated at first, before calls come; doubled as they do, up to maxCalls. */
const FIRST_SLOTS = 256;

/**
 * Kept in a circular buffer: adding a call past the bound overwrites the oldest slot, so a full
 * ring costs the same per call as an empty one (no shifting, no copying).
 *
 * Kept by slot, not as an object per call: a slot holds the call's start and duration (numbers in
 * a typed array) and a reference to what it shares with the calls around it (a Like); its seq
 * comes from its place (the ring holds consecutive seqs). A call like the one before it (share.ts)
 * then adds no object to what the ring keeps alive. An object per call, alive for the second or
 * so the ring holds it at thousands of calls a second, is copied by the garbage collector as it
 * survives: in perf profiles of the server under the capture bench's load (a scratch script, not
 * kept), the collector took 7.0 % of the samples with an object per call, 4.0 % kept by column,
 * and 3.5-4.4 % with capture off. A call is built as an object again when it is read.
 */
export class CaptureRing {
  readonly settings: CaptureSettings;
  /** Slot i's startedAt at 2i, its durationMs at 2i + 1. */
  #times = new Float64Array(0);
  #likes: (Like | undefined)[] = [];
  /** Index of the oldest call held, and how many are held. */
  #head = 0;
  #count = 0;
  #bytes = 0;
  #seq = 0;
  #dropped = 0;
  /** The newest seq handed out when the ring was last cleared (0: never). */
  #clearedAt = 0;
  /** The newest call's run: what the next call shares with. */
  #newest: Like | undefined;
  /** Replaced, not changed, when a listener comes or goes: walked by index for every call. */
  #listeners: readonly RingListener[] = [];

  constructor(settings: Partial<CaptureSettings> = {}) {
    this.settings = {
      enabled: settings.enabled ?? true,
      maxCalls: settings.maxCalls ?? DEFAULT_CAPTURE_MAX_CALLS,
      maxBytes: settings.maxBytes ?? DEFAULT_CAPTURE_MAX_BYTES,
    };
  }

  /**
   * The newest call but for its seq and times: what the next call shares with, where equal, and
   * what a repeat repeats (addRepeat).
   */
  get newest(): NewestCall | undefined {
    return this.#newest;
  }

  /** The newest seq handed out (0 before the first call). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** The newest seq handed out when the ring was last cleared (0: never cleared). */
  get clearedAt(): number {
    return this.#clearedAt;
  }

  /**
   * Keeps a call (numbered here, in place, whatever seq it came with) and tells every listener.
   * Returns the call, or null when capture is off or the call alone is over the size bound.
   */
  add(call: NewCall): CapturedCall | null {
    if (!this.settings.enabled) return null;
    // A call like the one before shares its request and response (see share.ts).
    shareWithPrevious(call, this.#newest);
    let like = this.#newest;
    if (like === undefined || !isOf(call, like)) {
      const size = approximateSize(call);
      if (size > this.settings.maxBytes) return null;
      like = {
        request: call.request,
        response: call.response,
        failure: call.failure,
        upstream: call.upstream,
        localPath: call.localPath,
        userAgent: call.userAgent,
        requestBodyTruncated: call.requestBodyTruncated,
        refused: call.refused,
        size,
      };
    }
    const numbered = call as CapturedCall;
    numbered.seq = this.#keep(like, call.startedAt, call.durationMs);
    return numbered;
  }

  /**
   * Keeps a call exactly like the newest one but for its times, never built as an object: the
   * pass-through checks that it is one (repeatsNewest, share.ts) before it would build it.
   * Under the capture bench's load (one client repeating one call, one tab watching), p50 latency
   * against capture off read 1.042× this way and 1.059× with every call built and added, the two
   * in one server process (their ratio 0.983×, 90 % interval 0.978-0.989; 6 processes × 45 rounds,
   * a scratch script, not kept). Returns its seq, or null when capture is off or the ring is empty.
   */
  addRepeat(startedAt: number, durationMs: number): number | null {
    if (!this.settings.enabled || this.#newest === undefined) return null;
    return this.#keep(this.#newest, startedAt, durationMs);
  }

  /** Numbers a call of `like`'s run, keeps it (dropping the oldest past a bound), tells listeners. */
  #keep(like: Like, startedAt: number, durationMs: number): number {
    const seq = ++this.#seq;
    this.#newest = like;
    if (this.#count === this.settings.maxCalls) this.#dropOldest();
    while (this.#bytes + like.size > this.settings.maxBytes && this.#count > 0) this.#dropOldest();
    if (this.#count === this.#likes.length) this.#grow();
    const slot = (this.#head + this.#count) % this.#likes.length;
    this.#times[2 * slot] = startedAt;
    this.#times[2 * slot + 1] = durationMs;
    this.#likes[slot] = like;
    this.#count++;
    this.#bytes += like.size;
    if (this.#listeners.length > 0) this.#emit(CALL_EVENT);
    return seq;
  }

  /** More slots, doubled up to maxCalls; the calls held move to the front, oldest first. */
  #grow(): void {
    const length = this.#likes.length;
    const slots = Math.min(this.settings.maxCalls, Math.max(FIRST_SLOTS, 2 * length));
    const times = new Float64Array(2 * slots);
    const likes = new Array<Like | undefined>(slots).fill(undefined);
    for (let i = 0; i < this.#count; i++) {
      const from = (this.#head + i) % length;
      times[2 * i] = this.#times[2 * from]!;
      times[2 * i + 1] = this.#times[2 * from + 1]!;
      likes[i] = this.#likes[from];
    }
    this.#times = times;
    this.#likes = likes;
    this.#head = 0;
  }

  #dropOldest(): void {
    const head = this.#head;
    this.#bytes -= this.#likes[head]!.size;
    // Its run is let go now (if it was its last call), not when the slot is next written.
    this.#likes[head] = undefined;
    this.#head = (head + 1) % this.#likes.length;
    this.#count--;
    this.#dropped++;
  }

  /** The i-th call held (0: the oldest), built as an object. */
  #at(i: number): CapturedCall {
    const slot = (this.#head + i) % this.#likes.length;
    const like = this.#likes[slot]!;
    // No spread: a literal with one is built field by field, and a tab's write reads hundreds.
    const call: CapturedCall = {
      startedAt: this.#times[2 * slot]!,
      durationMs: this.#times[2 * slot + 1]!,
      request: like.request,
      response: like.response,
      failure: like.failure,
      upstream: like.upstream,
      localPath: like.localPath,
      userAgent: like.userAgent,
      requestBodyTruncated: like.requestBodyTruncated,
      seq: this.#seq - this.#count + 1 + i,
    };
    if (like.refused) call.refused = like.refused;
    return call;
  }

  /** Every call still held, oldest first. */
  list(): CapturedCall[] {
    return this.#from(0);
  }

  #from(start: number): CapturedCall[] {
    const out = new Array<CapturedCall>(Math.max(0, this.#count - start));
    for (let i = start; i < this.#count; i++) out[i - start] = this.#at(i);
    return out;
  }

  /**
   * Calls with seq > `after`, oldest first: what a reconnecting listener missed. An `after` beyond
   * the newest seq means the listener saw another server lifetime (a restart): it gets everything.
   */
  since(after: number): CapturedCall[] {
    if (!Number.isFinite(after) || after < 0 || after > this.#seq) return this.list();
    // The ring holds the seqs from lastSeq - count + 1 to lastSeq, oldest first.
    const oldest = this.#seq - this.#count + 1;
    return this.#from(Math.max(0, Math.floor(after) - oldest + 1));
  }

  clear(): void {
    this.#times = new Float64Array(0);
    this.#likes = [];
    this.#newest = undefined;
    this.#head = 0;
    this.#count = 0;
    this.#bytes = 0;
    this.#dropped = 0;
    this.#clearedAt = this.#seq;
    this.#emit(CLEARED_EVENT);
  }

  capacity(): TrafficCapacity {
    return {
      enabled: this.settings.enabled,
      maxCalls: this.settings.maxCalls,
      maxBytes: this.settings.maxBytes,
      calls: this.#count,
      bytes: this.#bytes,
      dropped: this.#dropped,
    };
  }

  /** Live listeners: called synchronously for each new call and each clear. */
  subscribe(listener: RingListener): () => void {
    if (!this.#listeners.includes(listener)) this.#listeners = [...this.#listeners, listener];
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: RingListener): void {
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  get listenerCount(): number {
    return this.#listeners.length;
  }

  #emit(event: RingEvent): void {
    // The list as it was when the event came: a listener that (un)subscribes replaces it.
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(event);
      } catch {
        // One broken listener must not stop the others, nor the pass-through call that fed it.
      }
    }
  }
}
