/**
 * Calls the debugger answers itself on the pass-through's paths (a method it never passes on, a
 * body over its limit, a CORS preflight, a page on another site, a path it does not pass on) are
 * captured too, marked `refused`, so a developer sees in Traffic why their call got no PandaDoc
 * answer. Nothing here runs when capture is off: callers check `onCall` first.
 *
 * Not recorded: requests refused for their Host (guards.ts). A page using DNS rebinding can send
 * those; they are not addressed to this server, and must not be able to fill its capture.
 */
import type { Context } from 'hono';
import { STATUS_CODES } from 'node:http';
import type { CapturedCall, DebuggerRefusal } from '../../lib/api/traffic.ts';
import type { CaptureRing } from '../capture/ring.ts';
import type { EnvironmentId } from '../../lib/oauth/environments.ts';
import type { ServerConfig } from '../config.ts';
import { passthroughTarget } from '../upstreams.ts';
import { headerPairs } from './headers.ts';
import { sentHeaders } from './direct.ts';
import type { CallSink } from './proxy.ts';
import type { BodyTap } from './tap.ts';

export interface RefusalRecord {
  /** performance.now() when the request arrived (its start and time taken are read from it). */
  t0: number;
  /** Where the call would have gone. */
  upstream: EnvironmentId;
  refused: DebuggerRefusal;
  /** The debugger's answer, and its body as sent. */
  answer: Response;
  answerBody: string;
  /** What was read of the request body before the refusal; none when it was refused unread. */
  body?: BodyTap | null;
}

/** True when the request announces a body (one the debugger may have refused unread). */
const announcesBody = (c: Context) => {
  const length = c.req.header('content-length');
  return (
    c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0')
  );
};

/** Records one call the debugger answered itself, as the client sent it. */
export function recordRefusal(onCall: CallSink, c: Context, r: RefusalRecord): void {
  onCall(refusedCall(c, r));
}

function refusedCall(c: Context, r: RefusalRecord): Omit<CapturedCall, 'seq'> {
  const url = new URL(c.req.url);
  const res = r.answer;
  const took = performance.now() - r.t0;
  return {
    startedAt: Math.round(Date.now() - took),
    durationMs: Math.round(took * 10) / 10,
    request: {
      method: c.req.method,
      url: c.req.url,
      headers: sentHeaders(c.req.raw.headers),
      body: r.body ? r.body.text() : null,
    },
    response: {
      status: res.status,
      statusText: STATUS_CODES[res.status] ?? '',
      headers: headerPairs(res.headers),
      body: r.answerBody,
      truncated: false,
    },
    failure: null,
    upstream: r.upstream,
    localPath: url.pathname + url.search,
    userAgent: c.req.header('user-agent') ?? null,
    requestBodyTruncated: r.body ? r.body.truncated : announcesBody(c),
    refused: r.refused,
  };
}

/**
 * Where a call to this path would have gone, when the capture records calls to it: the
 * pass-through's paths (`/oauth2/`, `/public/`, `/us/`, `/eu/`) and the simulator's own mount
 * (not its control API). Null for the app's pages and API.
 */
export function capturedUpstream(config: ServerConfig, path: string): EnvironmentId | null {
  if (path === '/sim' || path.startsWith('/sim/')) {
    return path.startsWith('/sim/_control') ? null : 'simulator';
  }
  const target = passthroughTarget(config, path);
  if (target) return target.environment;
  const region = /^\/(us|eu)(?:\/|$)/.exec(path)?.[1];
  if (region === 'us' || region === 'eu') return region;
  if (path.startsWith('/oauth2/') || path.startsWith('/public/')) return config.defaultUpstream;
  return null;
}

/**
 * Any web page the developer has open can make the browser send calls the Origin guard refuses.
 * At most this many of them are held in the capture at a time: a page sending thousands can
 * neither push the developer's calls out of the ring nor flood an open Traffic tab. Clear, or
 * the developer's own calls pushing the old ones out, makes room again.
 */
export const MAX_CROSS_SITE_REFUSALS = 20;

/** The ring as the bounded recorders use it. */
export type Ring = Pick<CaptureRing, 'add' | 'lastSeq' | 'capacity'>;

/**
 * Adds calls of one kind to the ring, at most `max` of them held there at a time: what anyone
 * else can make the server record must not push the developer's own calls out.
 */
export function boundedRecorder(ring: Ring, max: number) {
  /** Seqs of the calls recorded that may still be in the ring, oldest first. */
  const held: number[] = [];
  return (call: Omit<CapturedCall, 'seq'>) => {
    // The ring numbers every call it keeps and drops the oldest first (or all, on Clear): it
    // holds exactly the seqs from lastSeq - calls + 1 to lastSeq.
    const oldest = ring.lastSeq - ring.capacity().calls + 1;
    while (held.length > 0 && held[0]! < oldest) held.shift();
    if (held.length >= max) return;
    const stored = ring.add(call);
    if (stored) held.push(stored.seq);
  };
}

/** Records the Origin guard's refusals on captured paths (see guards.ts `originGuard`). */
export function crossSiteRecorder(config: ServerConfig, ring: Ring) {
  const record = boundedRecorder(ring, MAX_CROSS_SITE_REFUSALS);
  return (c: Context, answer: Response, answerBody: string, reason: string) => {
    const upstream = capturedUpstream(config, c.req.path);
    if (!upstream) return;
    record(
      refusedCall(c, {
        t0: performance.now(),
        upstream,
        refused: { kind: 'cross_site', reason: `Refused: ${reason}.` },
        answer,
        answerBody,
      }),
    );
  };
}
