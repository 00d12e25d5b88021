/**
 * One pass-through call: the client's request streamed to a fixed upstream URL, the answer
 * streamed back, redirects returned as they are, and a CapturedCall for the live capture.
 *
 * An answer that breaks off is never passed off as whole: a small one (read before the status goes
 * out) becomes a clear 502, a large one already streaming breaks the client's connection too.
 */
import { STATUS_CODES } from 'node:http';
import type { EnvironmentId } from '../../lib/oauth/environments.ts';
import type { CapturedCall } from '../../lib/api/traffic.ts';
import type { Header, RecordedResponse, UpstreamFailure } from '../../lib/api/wire.ts';
import type { NewestCall } from '../capture/ring.ts';
import { repeatsNewest } from '../capture/share.ts';
import { Deadline, describeNetworkError, initWithDeadline } from '../forward.ts';
import { clientResponseHeaders, headerPairs, HeaderList } from './headers.ts';
import { wholeBody } from './lightweight.ts';
import type { FetchLike } from './local.ts';
import { BodyTap, tapped } from './tap.ts';

/** An answer up to this size is read whole before the client gets its status. */
export const READ_AHEAD_BYTES = 64 * 1024;

/** Where calls go to be kept; the ring numbers them (a seq given here is overwritten). */
export type CallSink = (call: CapturedCall | Omit<CapturedCall, 'seq'>) => void;

export interface ProxyRequest {
  environment: EnvironmentId;
  url: string;
  method: string;
  headers: Header[];
  /** A body already read (small), a stream (large or of unknown size), or none. */
  body: string | Uint8Array | ReadableStream<Uint8Array> | null;
  /** The path and query the client asked this server for, and the whole URL. */
  localPath: string;
  clientUrl: string;
  userAgent: string | null;
}

export interface ProxyOptions {
  fetch: FetchLike;
  timeoutMs: number;
  /** Largest streamed request body; more fails the call with 413. */
  maxBody: number;
  onCall?: CallSink;
  /**
   * The newest captured call: an answer with the same headers is recorded with its header list
   * (see HeaderList), and a call exactly like it is kept by `onRepeat`.
   */
  previous?: () => NewestCall | undefined;
  /** Keeps a call exactly like `previous()` but for its times (CaptureRing.addRepeat). */
  onRepeat?: (startedAt: number, durationMs: number) => void;
  /**
   * Breaks the client's connection at once, when the answer being streamed to it breaks off;
   * false when there is none to break (in-process), and the stream errors instead.
   */
  breakClient?: () => boolean;
}

/** The body of the proxy's own answers: the OAuth error form every PandaDoc client can read. */
export const proxyErrorBody = (error: string, description: string) =>
  JSON.stringify({ error, error_description: `PandaDoc debugger proxy: ${description}` });

/** The proxy's own answers, in the OAuth error form every PandaDoc client can read. */
export function proxyError(status: number, error: string, description: string, close = false) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (close) headers.connection = 'close';
  return new Response(proxyErrorBody(error, description), { status, headers });
}

/** 104857600 → "100 MB", 65536 → "64 KiB". */
export const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KiB`;

/** A body for a Response (the DOM types want an ArrayBuffer-backed array; Node's are). */
type Bytes = Uint8Array<ArrayBuffer>;

const concat = (chunks: Uint8Array[], size: number): Bytes =>
  (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)) as Bytes;

export async function proxy(req: ProxyRequest, options: ProxyOptions): Promise<Response> {
  const { onCall } = options;
  const startedAt = Date.now();
  const t0 = performance.now();
  const deadline = new Deadline(options.timeoutMs);
  const timeoutMessage = `no complete answer within ${options.timeoutMs} ms`;

  let requestTap: BodyTap | null = null;
  let body = req.body;
  if (body instanceof ReadableStream) {
    requestTap = new BodyTap(onCall ? undefined : 0);
    // The time limit waits for the upstream: while the client is still uploading, it restarts.
    body = tapped(body, requestTap, options.maxBody, () => deadline.refresh());
  } else if (body !== null && onCall) {
    requestTap = BodyTap.of(body);
  }

  const elapsed = () => Math.round((performance.now() - t0) * 10) / 10;
  const record = (response: RecordedResponse | null, failure: UpstreamFailure | null) => {
    if (!onCall) return;
    onCall({
      // Numbered by the ring. There from the start, so the numbering writes a field and does
      // not change the object's shape (which costs an allocation per call).
      seq: 0,
      startedAt,
      durationMs: elapsed(),
      request: {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: requestTap ? requestTap.text() : null,
      },
      response,
      failure,
      upstream: req.environment,
      localPath: req.localPath,
      userAgent: req.userAgent,
      requestBodyTruncated: requestTap?.truncated ?? false,
    });
  };

  let res: Response;
  try {
    res = await options.fetch(
      req.url,
      initWithDeadline(
        {
          method: req.method,
          headers: req.headers,
          body: body as BodyInit | null,
          redirect: 'manual',
          duplex: 'half',
        } as RequestInit,
        deadline,
      ),
    );
  } catch (error) {
    deadline.clear();
    if (requestTap && requestTap.size > options.maxBody) {
      const description = `request body larger than ${size(options.maxBody)}`;
      const answer = proxyError(413, 'invalid_request', description, true);
      onCall?.({
        startedAt,
        durationMs: Math.round((performance.now() - t0) * 10) / 10,
        request: {
          method: req.method,
          url: req.clientUrl,
          headers: req.headers,
          body: requestTap.text(),
        },
        response: {
          status: 413,
          statusText: STATUS_CODES[413] ?? '',
          headers: headerPairs(answer.headers),
          body: proxyErrorBody('invalid_request', description),
          truncated: false,
        },
        failure: null,
        upstream: req.environment,
        localPath: req.localPath,
        userAgent: req.userAgent,
        requestBodyTruncated: true,
        refused: {
          kind: 'too_large',
          reason:
            `The body went over ${size(options.maxBody)} while it streamed: the debugger ` +
            'stopped the upload, so the upstream got an unfinished request and never answered it.',
        },
      });
      return answer;
    }
    const failure: UpstreamFailure = deadline.expired
      ? { kind: 'timeout', message: timeoutMessage }
      : { kind: 'unreachable', message: describeNetworkError(error) };
    record(null, failure);
    return deadline.expired
      ? proxyError(504, 'upstream_timeout', failure.message)
      : proxyError(502, 'upstream_unreachable', failure.message);
  }

  const status = res.status;
  const upstreamHeaders = res.headers;
  const whole = wholeBody(res);
  // fetch undoes a Content-Encoding: the upstream's framing headers no longer fit the body.
  const decoded = whole === undefined && upstreamHeaders.has('content-encoding');
  const received = onCall ? new HeaderList(options.previous?.()?.response?.headers) : undefined;
  const headers = clientResponseHeaders(upstreamHeaders, decoded, received);
  const recorded = (body: string, truncated: boolean): RecordedResponse => ({
    status,
    statusText: whole === undefined ? res.statusText : (STATUS_CODES[status] ?? ''),
    headers: received?.list() ?? [],
    body,
    truncated,
  });
  /** A whole answer: kept as a repeat when the call is exactly the newest one, else built. */
  const answered = (body: string, truncated: boolean) => {
    if (!onCall) return;
    const response = recorded(body, truncated);
    const newest = options.previous?.();
    if (
      options.onRepeat &&
      newest &&
      repeatsNewest(
        newest,
        req,
        requestTap ? requestTap.text() : null,
        requestTap?.truncated ?? false,
        response,
      )
    ) {
      return options.onRepeat(startedAt, elapsed());
    }
    record(response, null);
  };

  // In-process: the simulator's answer is already whole.
  if (whole !== undefined || res.body === null) {
    deadline.clear();
    if (onCall) {
      // A short text answer (the simulator's) is its own capture: no tap is made for it. Under the
      // capture bench's load, p50 latency read 0.995× of what it was with a tap (90 % interval
      // 0.991-0.997; an A/B of a scratch version in one server process, 6 processes × 45 rounds).
      if (typeof whole === 'string' && BodyTap.keepsWhole(whole)) answered(whole, false);
      else if (whole) {
        const tap = BodyTap.of(whole);
        answered(tap.text(), tap.truncated);
      } else answered('', false);
    }
    return new Response((whole ?? null) as string | Bytes | null, { status, headers });
  }

  // Read ahead: a small answer arrives whole before the client sees a status.
  const reader = res.body.getReader();
  const tap = new BodyTap(onCall ? undefined : 0);
  const head: Uint8Array[] = [];
  let headSize = 0;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) {
        deadline.clear();
        if (onCall) answered(tap.text(), tap.truncated);
        return new Response(headSize ? concat(head, headSize) : null, { status, headers });
      }
      tap.add(step.value);
      head.push(step.value);
      headSize += step.value.byteLength;
      deadline.refresh();
      if (headSize >= READ_AHEAD_BYTES) break;
    }
  } catch {
    deadline.clear();
    const declared = upstreamHeaders.get('content-length');
    const got = `${headSize}${declared ? ` of ${declared}` : ''} body bytes`;
    const failure: UpstreamFailure = deadline.expired
      ? { kind: 'timeout', message: `${timeoutMessage} (got ${got})` }
      : {
          kind: 'unreachable',
          message: `the connection closed after ${got}: the answer is incomplete`,
        };
    record(recorded(tap.text(), tap.truncated), failure);
    return deadline.expired
      ? proxyError(504, 'upstream_timeout', failure.message)
      : proxyError(502, 'upstream_unreachable', failure.message);
  }

  // Large: the rest streams through; a break from here on breaks the client's connection too.
  let next = 0;
  let ended = false;
  const finish = (error?: unknown, clientGone = false) => {
    if (ended) return;
    ended = true;
    if (error === undefined) {
      deadline.clear();
      if (onCall) answered(tap.text(), tap.truncated);
      return;
    }
    const expired = deadline.expired;
    deadline.cancel(error);
    let message = `the answer broke off after ${tap.size} body bytes`;
    if (expired) message = `${timeoutMessage} (the body stopped after ${tap.size} bytes)`;
    if (clientGone) message = `the client closed the connection after ${tap.size} body bytes`;
    record(recorded(tap.text(), tap.truncated), {
      kind: expired ? 'timeout' : 'unreachable',
      message,
    });
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next < head.length) return controller.enqueue(head[next++]);
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        finish(error);
        // Closing the connection ourselves says the same to the client, without the server
        // library logging the stream's error as its own.
        if (options.breakClient?.()) return controller.close();
        return controller.error(error);
      }
      if (step.done) {
        finish();
        return controller.close();
      }
      tap.add(step.value);
      deadline.refresh();
      controller.enqueue(step.value);
    },
    cancel(reason) {
      finish(reason ?? new Error('the client went away'), true);
      return reader.cancel(reason);
    },
  });
  return new Response(stream, { status, headers });
}
