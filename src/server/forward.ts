/** One upstream call, recorded as it went over the wire: the heart of the inspector. */
import type { RecordedRequest, UpstreamExchange, UpstreamFailure } from '../lib/api/wire.ts';

export const MAX_UPSTREAM_BODY = 1024 * 1024;

interface BodyRead {
  text: string;
  truncated: boolean;
  /** Bytes that arrived before the body broke off, if it did. */
  size: number;
  /** Why the body broke off (connection closed, timeout); undefined when it arrived whole. */
  error?: unknown;
}

/** Reads up to MAX_UPSTREAM_BODY; a body that breaks off midway is kept as far as it came. */
async function readCapped(res: Response): Promise<BodyRead> {
  if (!res.body) return { text: '', truncated: false, size: 0 };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  let error: unknown;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (e) {
      error = e;
      break;
    }
    const { done, value } = step;
    if (done) break;
    if (size + value.byteLength > MAX_UPSTREAM_BODY) {
      chunks.push(value.subarray(0, MAX_UPSTREAM_BODY - size));
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated, size, error };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused: nothing is listening there';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
    return 'the host name could not be resolved (DNS)';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET')
    return 'the connection was reset before a full answer arrived';
  if (cause?.code) return `network error ${cause.code}`;
  return error instanceof Error ? error.message : 'network error';
}

/** Sends the request and records both sides. Never throws for network trouble: it is recorded. */
export async function forward(
  request: RecordedRequest,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<UpstreamExchange> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const elapsed = () => Math.round((performance.now() - t0) * 10) / 10;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? undefined,
      redirect: 'manual',
      signal,
    });
    const { text, truncated, size, error } = await readCapped(res);
    const response = {
      status: res.status,
      statusText: res.statusText,
      headers: [...res.headers.entries()],
      body: text,
      truncated,
    };
    // The status and headers arrived but the body broke off: keep what came, and say why.
    let failure: UpstreamFailure | null = null;
    if (error !== undefined) {
      const declared = res.headers.get('content-length');
      const got = `${size}${declared ? ` of ${declared}` : ''} body bytes`;
      failure = signal.aborted
        ? { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms (got ${got})` }
        : {
            kind: 'unreachable',
            message: `the connection closed after ${got}: the answer is incomplete`,
          };
    }
    return { startedAt, durationMs: elapsed(), request, response, failure };
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      startedAt,
      durationMs: elapsed(),
      request,
      response: null,
      failure: timedOut
        ? { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms` }
        : { kind: 'unreachable', message: describeNetworkError(error) },
    };
  }
}
