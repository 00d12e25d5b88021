/**
 * The capture's copy of a body: the first CAPTURE_BODY_LIMIT bytes, kept by reference as the
 * chunks go by (no copy, no decoding until someone asks), while every byte still flows on.
 */
import { CAPTURE_BODY_LIMIT } from '../../lib/api/traffic.ts';

export class BodyTap {
  readonly limit: number;
  /** Every byte seen, kept or not; -1: the UTF-8 length of #text, counted when asked. */
  #size = 0;
  /** Made on the first chunk: a body already whole as a string (BodyTap.of) needs none. */
  #chunks: Uint8Array[] | null = null;
  #kept = 0;
  #text: string | undefined;

  constructor(limit = CAPTURE_BODY_LIMIT) {
    this.limit = limit;
  }

  /** A body that is already whole: kept as it is (cut at the limit). */
  static of(body: Uint8Array | string, limit = CAPTURE_BODY_LIMIT): BodyTap {
    const tap = new BodyTap(limit);
    if (typeof body !== 'string') {
      tap.add(body);
      return tap;
    }
    // Its bytes are counted only if someone asks (the capture of a simulator's answer, on every
    // call, never does).
    if (BodyTap.keepsWhole(body, limit)) {
      tap.#size = -1;
      tap.#text = body;
      return tap;
    }
    const bytes = Buffer.byteLength(body);
    if (bytes > limit) {
      tap.add(Buffer.from(body));
      return tap;
    }
    tap.#size = bytes;
    tap.#kept = bytes;
    tap.#text = body;
    return tap;
  }

  /**
   * True when a string is short enough to be kept as it is, whatever its characters: UTF-8 takes
   * at most 3 bytes per UTF-16 unit. Such a body needs no tap at all: its text is itself, uncut.
   */
  static keepsWhole(body: string, limit = CAPTURE_BODY_LIMIT): boolean {
    return body.length * 3 <= limit;
  }

  /** Every byte seen, kept or not. */
  get size(): number {
    if (this.#size < 0) this.#size = this.#kept = Buffer.byteLength(this.#text!);
    return this.#size;
  }

  add(chunk: Uint8Array): void {
    this.#size = this.size + chunk.byteLength;
    const room = this.limit - this.#kept;
    if (room <= 0) return;
    const part = chunk.byteLength <= room ? chunk : chunk.subarray(0, room);
    (this.#chunks ??= []).push(part);
    this.#kept += part.byteLength;
    this.#text = undefined;
  }

  /** True when bytes went by that the copy does not hold. */
  get truncated(): boolean {
    return this.#size >= 0 && this.#size > this.#kept;
  }

  /** The kept bytes as UTF-8 (a character cut at the limit becomes U+FFFD). */
  text(): string {
    if (this.#text === undefined) {
      const chunks = this.#chunks ?? [];
      this.#text =
        chunks.length === 1
          ? Buffer.from(chunks[0].buffer, chunks[0].byteOffset, chunks[0].byteLength).toString()
          : Buffer.concat(chunks, this.#kept).toString();
    }
    return this.#text;
  }
}

export class BodyTooLarge extends Error {
  constructor(readonly max: number) {
    super(`body larger than ${max} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * `source` passed through unchanged, each chunk shown to `tap` (then to `onChunk`); over `max`
 * bytes it fails.
 */
export function tapped(
  source: ReadableStream<Uint8Array>,
  tap: BodyTap,
  max = Infinity,
  onChunk?: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const step = await reader.read();
      if (step.done) return controller.close();
      tap.add(step.value);
      if (tap.size > max) {
        const error = new BodyTooLarge(max);
        void reader.cancel(error).catch(() => undefined);
        return controller.error(error);
      }
      onChunk?.();
      controller.enqueue(step.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
