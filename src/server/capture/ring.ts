/**
 * The live capture's memory: the last calls through the pass-through, bounded by count and by
 * size (oldest dropped first), in this process only. Never written to disk or to the log: the
 * calls hold raw secrets, and only the local browser, behind the /api guards, may read them.
 */
import type { CapturedCall, TrafficCapacity } from '../../lib/api/traffic.ts';

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

const headersSize = (headers: ReadonlyArray<readonly [string, string]>) =>
  headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

/**
 * About what a call holds in memory, in bytes: its strings (bodies, headers, URLs) counted at one
 * byte per character, plus a fixed overhead for the objects. Cheap and monotonic, which is all the
 * bound needs.
 */
export function approximateSize(call: CapturedCall): number {
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

export class CaptureRing {
  readonly settings: CaptureSettings;
  #calls: CapturedCall[] = [];
  #sizes: number[] = [];
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
   * Keeps a call (numbered here, whatever seq it came with) and tells every listener. Returns the
   * stored call, or null when capture is off or the call alone is over the size bound.
   */
  add(call: CapturedCall | Omit<CapturedCall, 'seq'>): CapturedCall | null {
    if (!this.settings.enabled) return null;
    const stored: CapturedCall = { ...call, seq: ++this.#seq };
    const size = approximateSize(stored);
    if (size > this.settings.maxBytes) return null;
    this.#calls.push(stored);
    this.#sizes.push(size);
    this.#bytes += size;
    while (
      this.#calls.length > this.settings.maxCalls ||
      (this.#bytes > this.settings.maxBytes && this.#calls.length > 1)
    ) {
      this.#calls.shift();
      this.#bytes -= this.#sizes.shift() ?? 0;
      this.#dropped++;
    }
    this.#emit({ kind: 'call', call: stored });
    return stored;
  }

  /** Every call still held, oldest first. */
  list(): CapturedCall[] {
    return [...this.#calls];
  }

  /**
   * Calls with seq > `after`, oldest first: what a reconnecting listener missed. An `after` beyond
   * the newest seq means the listener saw another server lifetime (a restart): it gets everything.
   */
  since(after: number): CapturedCall[] {
    if (!Number.isFinite(after) || after < 0 || after > this.#seq) return this.list();
    // Seqs increase along the array: find the first one past `after` from the end (usually close).
    let i = this.#calls.length;
    while (i > 0 && (this.#calls[i - 1]?.seq ?? 0) > after) i--;
    return this.#calls.slice(i);
  }

  clear(): void {
    this.#calls = [];
    this.#sizes = [];
    this.#bytes = 0;
    this.#dropped = 0;
    this.#emit({ kind: 'cleared' });
  }

  capacity(): TrafficCapacity {
    return {
      enabled: this.settings.enabled,
      maxCalls: this.settings.maxCalls,
      maxBytes: this.settings.maxBytes,
      calls: this.#calls.length,
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
