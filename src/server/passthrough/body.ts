/**
 * The pass-through's request body: none, read whole (small, or the token endpoint's, capped at
 * its limit), or streamed; or refused for its size, with what was read of it for the capture.
 */
import type { Context } from 'hono';
import { BodyTap } from './tap.ts';

/** A body announced at most this big is read whole before it is sent on (cheaper than a stream). */
const READ_WHOLE_BYTES = 64 * 1024;

/** A body over the limit: announced (refused unread) or found while reading (what was read). */
export interface TooLarge {
  tooLarge: true;
  announced: number | null;
  read: BodyTap | null;
}

/**
 * Reads a body whole, up to `max` bytes. Over it, stops reading (the refusal closes the
 * connection) and keeps what was read for the capture, when capturing.
 */
async function readCapped(
  stream: ReadableStream<Uint8Array>,
  max: number,
  capture: boolean,
): Promise<Uint8Array | TooLarge> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const step = await reader.read();
    if (step.done) break;
    chunks.push(step.value);
    total += step.value.byteLength;
    if (total > max) {
      reader.releaseLock();
      const read = capture ? new BodyTap() : null;
      if (read) for (const chunk of chunks) read.add(chunk);
      return { tooLarge: true, announced: null, read };
    }
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** The request body as it should go upstream: none, read whole, or streamed. */
export async function requestBody(c: Context, max: number, token: boolean, capture: boolean) {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return null;
  const length = c.req.header('content-length');
  if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
    const size = Number(length);
    if (size === 0) return null;
    if (size > max) return { tooLarge: true, announced: size, read: null } satisfies TooLarge;
    if (size <= READ_WHOLE_BYTES) return new Uint8Array(await c.req.arrayBuffer());
    return c.req.raw.body;
  }
  // No length announced: a chunked body, or a Request built in-process. The token endpoint's is
  // read whole, and keeps its 64 KiB cap.
  const body = c.req.raw.body;
  if (!body) return null;
  return token ? readCapped(body, max, capture) : body;
}

export const isTooLarge = (body: unknown): body is TooLarge =>
  typeof body === 'object' && body !== null && 'tooLarge' in body;
