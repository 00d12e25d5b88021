/**
 * Under load the same call comes again and again: the same request, the same answer, only the
 * times differ. A call's request and response that equal the previous call's are replaced by the
 * previous call's own objects, so a ring of 1,000 such calls holds one copy of their headers and
 * bodies, not 1,000, and the event stream can say "as the call before" instead of sending them
 * again (see routes.ts). Only equal values are shared: nothing a reader sees changes.
 */
import type { CapturedCall } from '../../lib/api/traffic.ts';
import type { Header, RecordedRequest, RecordedResponse } from '../../lib/api/wire.ts';
import type { NewestCall } from './ring.ts';

type NewCall = CapturedCall | Omit<CapturedCall, 'seq'>;

function sameHeaders(a: readonly Header[], b: readonly Header[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  }
  return true;
}

function sameRequest(a: RecordedRequest, b: RecordedRequest): boolean {
  return (
    a === b ||
    (a.method === b.method &&
      a.url === b.url &&
      a.body === b.body &&
      sameHeaders(a.headers, b.headers))
  );
}

function sameResponse(a: RecordedResponse | null, b: RecordedResponse | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.status === b.status &&
    a.statusText === b.statusText &&
    a.truncated === b.truncated &&
    a.body === b.body &&
    sameHeaders(a.headers, b.headers)
  );
}

/**
 * `call`, its request and response taken from `previous` where they are equal (in place: the call
 * is a fresh object the ring is about to number). Returns true when both were.
 */
export function shareWithPrevious(
  call: NewCall,
  previous: Pick<CapturedCall, 'request' | 'response' | 'localPath' | 'userAgent'> | undefined,
): boolean {
  if (!previous) return false;
  const request = sameRequest(call.request, previous.request);
  if (request) call.request = previous.request;
  const response = sameResponse(call.response, previous.response);
  if (response) call.response = previous.response;
  if (call.localPath === previous.localPath) call.localPath = previous.localPath;
  if (call.userAgent === previous.userAgent) call.userAgent = previous.userAgent;
  return request && response;
}

/** A call's fields other than its seq, times, request and response. */
export type CallDetails = Pick<
  CapturedCall,
  'failure' | 'upstream' | 'localPath' | 'userAgent' | 'requestBodyTruncated' | 'refused'
>;

/** True when those fields are the same objects and values (a run of like calls shares them). */
export const sameDetails = (a: CallDetails, b: CallDetails) =>
  a.failure === b.failure &&
  a.upstream === b.upstream &&
  a.localPath === b.localPath &&
  a.userAgent === b.userAgent &&
  a.requestBodyTruncated === b.requestBodyTruncated &&
  a.refused === b.refused;

/** What the pass-through has of a call's request before it builds the call (ProxyRequest). */
export interface PassedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly Header[];
  readonly environment: CapturedCall['upstream'];
  readonly localPath: string;
  readonly userAgent: string | null;
}

/**
 * True when a call that got `response` (no failure, not refused) would be kept exactly as the
 * newest call but for its times: then the ring keeps it without it being built (addRepeat). Header
 * lists count only as the very same list (HeaderList in passthrough/headers.ts returns the newest
 * call's own when the pairs are the same); an equal list that is another object says no, and the
 * call is built and shared by value as any other.
 */
export function repeatsNewest(
  newest: NewestCall,
  request: PassedRequest,
  requestBody: string | null,
  requestBodyTruncated: boolean,
  response: RecordedResponse,
): boolean {
  const sent = newest.request;
  const got = newest.response;
  return (
    got !== null &&
    newest.failure === null &&
    newest.refused === undefined &&
    newest.requestBodyTruncated === requestBodyTruncated &&
    newest.upstream === request.environment &&
    sent.headers === request.headers &&
    got.headers === response.headers &&
    sent.method === request.method &&
    sent.body === requestBody &&
    got.status === response.status &&
    got.statusText === response.statusText &&
    got.truncated === response.truncated &&
    sent.url === request.url &&
    newest.localPath === request.localPath &&
    newest.userAgent === request.userAgent &&
    got.body === response.body
  );
}
