/** One upstream call, recorded as it went over the wire: the heart of the inspector. */
import type { RecordedRequest, UpstreamExchange } from '../lib/api/wire.ts';

export const MAX_UPSTREAM_BODY = 1024 * 1024;

async function readCapped(res: Response): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
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
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
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
    const { text, truncated } = await readCapped(res);
    return {
      startedAt,
      durationMs: elapsed(),
      request,
      response: {
        status: res.status,
        statusText: res.statusText,
        headers: [...res.headers.entries()],
        body: text,
        truncated,
      },
      failure: null,
    };
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
