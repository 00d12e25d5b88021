/**
 * The live capture's memory: the last calls through the pass-through, bounded by count and by
 * size (oldest dropped first), in this process only. Never written to disk or to the log: the
 * calls hold raw secrets, and only the local browser, behind the /api guards, may read them.
 */
import type { CapturedCall, TrafficCapacity } from '../../lib/api/traffic.ts';
import { shareWithPrevious } from './share.ts';

export const DEFAULT_CAPTURE_MAX_CALLS = 1000;
export const DEFAULT_CAPTURE_MAX_BYTES = 50 * 1024 * 1024;

export interface CaptureSettings {
  /** false: nothing is kept or sent (`CAPTURE=0`). */
  enabled: boolean;
  maxCalls: number;
  maxBytes: number;
}

/** What a live listener is told: one call, or that the ring was emptied. */
export type RingEvent = { kind: 'call'; call: CapturedCall } | { kind: 'cleared' };
export type RingListener = (event: RingEvent) => void;

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

/**
 * Kept in a circular buffer: adding a call past the bound overwrites the oldest slot, so a full
 * ring costs the same per call as an empty one (no shifting, no copying).
 */
export class CaptureRing {
  readonly settings: CaptureSettings;
  /** Grown up to maxCalls as calls come (a large bound costs nothing until used). */
  #slots: (CapturedCall | undefined)[] = [];
  #sizes: number[] = [];
  /** Index of the oldest call held, and how many are held. */
  #head = 0;
  #count = 0;
  #bytes = 0;
  #seq = 0;
  #dropped = 0;
  #listeners = new Set<RingListener>();

  constructor(settings: Partial<CaptureSettings> = {}) {
    this.settings = {
      enabled: settings.enabled ?? true,
      maxCalls: settings.maxCalls ?? DEFAULT_CAPTURE_MAX_CALLS,
      maxBytes: settings.maxBytes ?? DEFAULT_CAPTURE_MAX_BYTES,
    };
  }

  /** The newest seq handed out (0 before the first call). */
  get lastSeq(): number {
    return this.#seq;
  }

  /**
   * Keeps a call (numbered here, in place, whatever seq it came with) and tells every listener. Returns the
   * stored call, or null when capture is off or the call alone is over the size bound.
   */
  add(call: CapturedCall | Omit<CapturedCall, 'seq'>): CapturedCall | null {
    if (!this.settings.enabled) return null;
    const size = approximateSize(call);
    if (size > this.settings.maxBytes) return null;
    // The ring takes the call as it is (every sink builds a fresh one): numbered in place, not
    // copied, so keeping it costs no second object.
    const stored = call as CapturedCall;
    stored.seq = ++this.#seq;
    const max = this.settings.maxCalls;
    // A call like the one before shares its request and response (see share.ts).
    if (this.#count > 0) shareWithPrevious(stored, this.#at(this.#count - 1));
    if (this.#count === max) this.#dropOldest();
    while (this.#bytes + size > this.settings.maxBytes && this.#count > 0) this.#dropOldest();
    const slot = (this.#head + this.#count) % max;
    this.#slots[slot] = stored;
    this.#sizes[slot] = size;
    this.#count++;
    this.#bytes += size;
    this.#emit({ kind: 'call', call: stored });
    return stored;
  }

  #dropOldest(): void {
    this.#bytes -= this.#sizes[this.#head];
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.settings.maxCalls;
    this.#count--;
    this.#dropped++;
  }

  #at(i: number): CapturedCall {
    return this.#slots[(this.#head + i) % this.settings.maxCalls]!;
  }

  /** Every call still held, oldest first. */
  list(): CapturedCall[] {
    return this.#from(0);
  }

  #from(start: number): CapturedCall[] {
    const out = new Array<CapturedCall>(this.#count - start);
    for (let i = start; i < this.#count; i++) out[i - start] = this.#at(i);
    return out;
  }

  /**
   * Calls with seq > `after`, oldest first: what a reconnecting listener missed. An `after` beyond
   * the newest seq means the listener saw another server lifetime (a restart): it gets everything.
   */
  since(after: number): CapturedCall[] {
    if (!Number.isFinite(after) || after < 0 || after > this.#seq) return this.list();
    // Seqs increase along the array: find the first one past `after` from the end (usually close).
    let i = this.#count;
    while (i > 0 && this.#at(i - 1).seq > after) i--;
    return this.#from(i);
  }

  clear(): void {
    this.#slots = [];
    this.#sizes = [];
    this.#head = 0;
    this.#count = 0;
    this.#bytes = 0;
    this.#dropped = 0;
    this.#emit({ kind: 'cleared' });
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
    this.#listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: RingListener): void {
    this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  #emit(event: RingEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One broken listener must not stop the others, nor the pass-through call that fed it.
      }
    }
  }
}
