/** Narrows what arrives from /api/traffic (SSE data and the JSON list) before the UI trusts it. */
import type { CapturedCall, TrafficCapacity, TrafficEventHello } from '../api/traffic.ts';
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

/** One `event: call`'s data, or null when it is not a captured call. */
export function parseCallEvent(data: string): CapturedCall | null {
  const parsed = tryParseJson(data);
  if (!parsed.ok || !isCapturedCall(parsed.value)) return null;
  const refused = refusalOf(parsed.value);
  const { refused: _sent, ...call } = parsed.value;
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

function isCapacity(v: unknown): v is TrafficCapacity {
  return isRecord(v) && typeof v.enabled === 'boolean' && typeof v.maxCalls === 'number';
}

export function parseHello(data: string): TrafficEventHello | null {
  const parsed = tryParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const { capacity, lastSeq } = parsed.value;
  return isCapacity(capacity) && typeof lastSeq === 'number' ? { capacity, lastSeq } : null;
}
