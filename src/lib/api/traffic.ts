/**
 * Live capture of the pass-through (issue 11): what the server records of each call any client
 * sends through the PandaDoc-compatible paths, and how the browser reads it. Shared by both sides.
 *
 * Routes (all behind the same Host/Origin guards as the rest of /api):
 * - `GET /api/traffic/events`: Server-Sent Events. Each call is one `event: call`, `id: <seq>`,
 *   `data: <CapturedCall JSON>`, or a RepeatedCallEvent for a call with the same request and
 *   response as the call just before it; a run of calls alike in all but their seq and times is
 *   one `event: calls`, `id: <last seq>`, `data: <CallRunEvent JSON>`. On (re)connect with
 *   `Last-Event-ID: n` (or `?after=n`), every call in the ring with seq > n is sent first. A
 *   clear is told as `event: cleared`, `data: <TrafficEventCleared JSON>`: to every tab at once,
 *   and to a tab reconnecting from a seq the clear removed, before anything else.
 * - `GET /api/traffic`: `{ calls: CapturedCall[], capacity: {...} }`, oldest first.
 * - `DELETE /api/traffic`: clears the ring.
 */
import type { UpstreamExchange } from './wire.ts';
import type { EnvironmentId } from '../oauth/environments.ts';

/** Only this much of each request and response body is kept. */
export const CAPTURE_BODY_LIMIT = 64 * 1024;

export interface CapturedCall extends UpstreamExchange {
  /** Increasing from 1 in this server's lifetime: the SSE event id. */
  seq: number;
  /** Where the call was forwarded. */
  upstream: EnvironmentId;
  /** The path and query the client asked this server for (e.g. `/us/oauth2/access_token`). */
  localPath: string;
  /** The client's User-Agent, as sent (null when none). */
  userAgent: string | null;
  /** True when a body was cut at CAPTURE_BODY_LIMIT (the client and upstream still got all of it). */
  requestBodyTruncated: boolean;
  /**
   * Set when the debugger answered the call itself and sent nothing on: `response` is then the
   * debugger's own answer, not PandaDoc's, and `request.url` the URL the client called. A body the
   * debugger refused unread is `body: null` with `requestBodyTruncated: true`.
   */
  refused?: DebuggerRefusal;
}

/**
 * A call event's data when the call's request and response equal, field for field, those of the
 * call event just before it on the same stream (seq `sameExchangeAs`): every other field is sent,
 * those two are left out. What a client repeating one call makes, many times a second.
 */
export type RepeatedCallEvent = Omit<CapturedCall, 'request' | 'response'> & {
  sameExchangeAs: number;
};

/**
 * A `calls` event's data: the calls with seqs `from`, `from + 1`, …, each equal in every field
 * but its seq and times to the call just before it on the same stream (the first, to the call
 * with seq `from - 1`). One client repeating one call, under load.
 */
export interface CallRunEvent {
  from: number;
  /**
   * Two integers for each call in turn: how many ms after the call before it (seq - 1) it
   * started (negative when it started before), and its durationMs in tenths of a millisecond.
   * Small integers: a few bytes a call to write, send and read, where whole times took eighteen.
   */
  steps: number[];
}

/**
 * Why the debugger answered a call itself: a method it never passes on, a body over its limit, a
 * CORS preflight, a page on another site (the Origin guard), a path it does not pass on, a TLS
 * handshake on its plain-HTTP port (`https`), a request Node's HTTP parser could not read
 * (`unreadable`: headers too large, a broken header line).
 */
export type RefusalKind =
  'method' | 'too_large' | 'preflight' | 'cross_site' | 'not_found' | 'https' | 'unreadable';

export interface DebuggerRefusal {
  kind: RefusalKind;
  /** Why, in a sentence a developer reads: "TRACE is not passed on". */
  reason: string;
}

/** How full the server's capture ring is, and its bounds. */
export interface TrafficCapacity {
  /** false when the server runs with `CAPTURE=0`: nothing is recorded. */
  enabled: boolean;
  maxCalls: number;
  /** Approximate bytes (one per character of the calls' strings). */
  maxBytes: number;
  calls: number;
  bytes: number;
  /** Calls pushed out by newer ones since the server started or the ring was last cleared. */
  dropped: number;
}

/** `GET /api/traffic` and `DELETE /api/traffic` answer this. */
export interface TrafficSnapshot {
  calls: CapturedCall[];
  capacity: TrafficCapacity;
}

/**
 * A `cleared` event's data: the calls up to `lastSeq` were cleared. A seq the tab first reads past
 * `lastSeq + 1` says calls came and were dropped from the ring before the tab could read them.
 */
export interface TrafficEventCleared {
  lastSeq: number;
}

/** The first event of every event stream connection (`event: hello`), before any replayed call. */
export interface TrafficEventHello {
  capacity: TrafficCapacity;
  /** The newest seq the server has handed out. */
  lastSeq: number;
}
