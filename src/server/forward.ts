/** One upstream call, recorded as it went over the wire: the heart of the inspector. */
import type { RecordedRequest, UpstreamExchange, UpstreamFailure } from '../lib/api/wire.ts';
import type { FetchLike } from './passthrough/local.ts';

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

export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused: nothing is listening there';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
    return 'the host name could not be resolved (DNS)';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET')
    return 'the connection was reset before a full answer arrived';
  if (cause?.code) return `network error ${cause.code}`;
  return error instanceof Error ? error.message : 'network error';
}

/**
 * An upstream call's time limit: one timer, cleared when the call ends (AbortSignal.timeout costs
 * several times more per call and keeps its timer to the end). The AbortController is made only
 * if someone asks for the signal: an in-process simulator call without latency never does.
 */
export class Deadline {
  #controller: AbortController | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #ms: number;
  #expired = false;
  #done = false;

  constructor(ms: number) {
    this.#ms = ms;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller?.abort(this.#reason());
    }, ms);
  }

  #reason() {
    return new DOMException(`no answer within ${this.#ms} ms`, 'TimeoutError');
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#expired && !this.#controller.signal.aborted) this.#controller.abort(this.#reason());
    return this.#controller.signal;
  }

  /** True once the time ran out (not when the call was cancelled). */
  get expired(): boolean {
    return this.#expired;
  }

  /** Starts the time limit over (a streamed body that is still moving). */
  refresh(): void {
    if (!this.#done && !this.#expired) this.#timer.refresh();
  }

  clear(): void {
    this.#done = true;
    clearTimeout(this.#timer);
  }

  /** Gives up now (the client went away): the upstream call is cancelled. */
  cancel(reason: unknown): void {
    this.clear();
    this.#controller?.abort(reason);
  }
}

/** A fetch init whose signal is the deadline's, made only when the fetch reads it. */
export function initWithDeadline(init: RequestInit, deadline: Deadline): RequestInit {
  return Object.defineProperty(init, 'signal', {
    get: () => deadline.signal,
    enumerable: true,
  });
}

/** Sends the request and records both sides. Never throws for network trouble: it is recorded. */
export async function forward(
  request: RecordedRequest,
  timeoutMs: number,
  fetchImpl: FetchLike = fetch,
): Promise<UpstreamExchange> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const elapsed = () => Math.round((performance.now() - t0) * 10) / 10;
  const deadline = new Deadline(timeoutMs);
  try {
    const res = await fetchImpl(
      request.url,
      initWithDeadline(
        {
          method: request.method,
          headers: request.headers,
          body: request.body ?? undefined,
          redirect: 'manual',
        },
        deadline,
      ),
    );
    const { text, truncated, size, error } = await readCapped(res);
    deadline.clear();
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
      failure = deadline.expired
        ? { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms (got ${got})` }
        : {
            kind: 'unreachable',
            message: `the connection closed after ${got}: the answer is incomplete`,
          };
    }
    return { startedAt, durationMs: elapsed(), request, response, failure };
  } catch (error) {
    deadline.clear();
    const timedOut = deadline.expired;
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
