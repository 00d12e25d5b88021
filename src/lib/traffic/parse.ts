/** Narrows what arrives from /api/traffic (SSE data and the JSON list) before the UI trusts it. */
import type {
  CapturedCall,
  TrafficCapacity,
  TrafficEventCleared,
  TrafficEventHello,
} from '../api/traffic.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import { refusalOf } from '../verdict/classify.ts';

const isHeaders = (v: unknown) =>
  Array.isArray(v) &&
  v.every((h) => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string');

export function isCapturedCall(v: unknown): v is CapturedCall {
  if (!isRecord(v) || !isRecord(v.request)) return false;
  const res = v.response;
  return (
    typeof v.seq === 'number' &&
    typeof v.startedAt === 'number' &&
    typeof v.durationMs === 'number' &&
    typeof v.request.method === 'string' &&
    typeof v.request.url === 'string' &&
    isHeaders(v.request.headers) &&
    (v.request.body === null || typeof v.request.body === 'string') &&
    (res === null ||
      (isRecord(res) &&
        typeof res.status === 'number' &&
        typeof res.body === 'string' &&
        isHeaders(res.headers))) &&
    (v.failure === null || isRecord(v.failure)) &&
    typeof v.localPath === 'string'
  );
}

/** A repeat (RepeatedCallEvent, CallRunEvent) of a call other than the one this reader just read. */
export const OUT_OF_STEP = 'out of step';

/**
 * One `event: call`'s data, or null when it is not a captured call. `previous` is the call this
 * stream's reader read just before: a RepeatedCallEvent takes its request and response from it. A
 * repeat of any other call gives OUT_OF_STEP: the reader has lost its place in the stream and
 * should read it again from the last call it holds, rather than show a call it cannot rebuild.
 */
export function parseCallEvent(
  data: string,
  previous: CapturedCall | null = null,
): CapturedCall | null | typeof OUT_OF_STEP {
  const parsed = tryParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  let value: unknown = parsed.value;
  if ('sameExchangeAs' in parsed.value) {
    const { sameExchangeAs, ...rest } = parsed.value;
    if (previous === null || sameExchangeAs !== previous.seq) return OUT_OF_STEP;
    value = { ...rest, request: previous.request, response: previous.response };
  }
  if (!isCapturedCall(value)) return null;
  const refused = refusalOf(value);
  const { refused: _sent, ...call } = value;
  // Fields a server of an older contract may leave out.
  return {
    ...call,
    userAgent: typeof call.userAgent === 'string' ? call.userAgent : null,
    requestBodyTruncated: call.requestBodyTruncated === true,
    upstream: call.upstream ?? 'simulator',
    // The debugger's own answer: kept only when it says what and why.
    ...(refused && { refused }),
  };
}

/** The most calls one `calls` event may hold: more than any ring keeps, far fewer than garbage. */
const MAX_RUN = 1_000_000;

/**
 * One `event: calls`' data (a CallRunEvent): its calls, each `previous` (the call this stream's
 * reader read just before) with only its seq and times changed. Null when it is not a run; a run
 * that does not follow `previous` gives OUT_OF_STEP, as a repeat does in parseCallEvent.
 */
export function parseCallRun(
  data: string,
  previous: CapturedCall | null,
): CapturedCall[] | null | typeof OUT_OF_STEP {
  const parsed = tryParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const { from, steps } = parsed.value;
  if (
    typeof from !== 'number' ||
    !Array.isArray(steps) ||
    steps.length === 0 ||
    steps.length % 2 !== 0 ||
    steps.length > 2 * MAX_RUN ||
    !steps.every((t) => Number.isSafeInteger(t))
  ) {
    return null;
  }
  if (previous === null || from !== previous.seq + 1) return OUT_OF_STEP;
  const run = new Array<CapturedCall>(steps.length / 2);
  let startedAt = previous.startedAt;
  for (let i = 0; i < run.length; i++) {
    startedAt += steps[2 * i] as number;
    const durationMs = (steps[2 * i + 1] as number) / 10;
    run[i] = { ...previous, seq: from + i, startedAt, durationMs };
  }
  return run;
}

function isCapacity(v: unknown): v is TrafficCapacity {
  return isRecord(v) && typeof v.enabled === 'boolean' && typeof v.maxCalls === 'number';
}

export function parseHello(data: string): TrafficEventHello | null {
  const parsed = tryParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const { capacity, lastSeq } = parsed.value;
  return isCapacity(capacity) && typeof lastSeq === 'number' ? { capacity, lastSeq } : null;
}

/** A `cleared` event's data; null when it says nothing usable (a server from before it did). */
export function parseCleared(data: string): TrafficEventCleared | null {
  const parsed = tryParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const { lastSeq } = parsed.value;
  return Number.isSafeInteger(lastSeq) && (lastSeq as number) >= 0
    ? { lastSeq: lastSeq as number }
    : null;
}
