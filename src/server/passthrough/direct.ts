/**
 * Calls a client sends straight to the simulator's own mount (`/sim/oauth2/...`,
 * `/sim/public/...`) are captured too, as calls to the simulator. Not the control API (the app's
 * settings, not PandaDoc), and not this server's own loopback calls (OWN_CALL_HEADER).
 */
import type { MiddlewareHandler } from 'hono';
import { STATUS_CODES } from 'node:http';
import { CAPTURE_BODY_LIMIT } from '../../lib/api/traffic.ts';
import type { Header, RecordedResponse, UpstreamFailure } from '../../lib/api/wire.ts';
import { HOP_BY_HOP, headerPairs } from './headers.ts';
import { wholeBody } from './lightweight.ts';
import { OWN_CALL_HEADER } from './local.ts';
import type { CallSink } from './proxy.ts';
import { BodyTap } from './tap.ts';

/** @hono/node-server's mark on an answer the handler wrote to the socket itself (a fault drill). */
const ALREADY_SENT = 'x-hono-already-sent';

/**
 * The request headers as the client sent them, less the connection's own and cookies: this
 * server reads none, and a browser sends another local app's cookies too (cookies ignore ports).
 */
export function sentHeaders(headers: Headers): Header[] {
  const out: Header[] = [];
  headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== OWN_CALL_HEADER && name !== 'cookie') {
      out.push([name, value]);
    }
  });
  return out;
}

/** The body the handler read, if it read one (Hono keeps it); a body nobody read is not read here. */
async function readBody(bodyCache: Record<string, unknown>): Promise<BodyTap | null> {
  const cached = bodyCache.text ?? bodyCache.arrayBuffer ?? bodyCache.formData;
  if (!cached) return null;
  try {
    const value: unknown = await cached;
    if (typeof value === 'string') return BodyTap.of(value);
    if (value instanceof ArrayBuffer) return BodyTap.of(new Uint8Array(value));
  } catch {
    // The body could not be read (the client went away): recorded as none.
  }
  return null;
}

async function answerBody(res: Response): Promise<BodyTap | null> {
  const whole = wholeBody(res);
  if (whole !== undefined) return whole === null ? null : BodyTap.of(whole);
  if (!res.body) return null;
  // Not a body held whole (in-process tests): read a copy, up to the capture limit.
  const reader = res.clone().body!.getReader();
  const tap = new BodyTap();
  try {
    while (tap.size <= CAPTURE_BODY_LIMIT) {
      const step = await reader.read();
      if (step.done) break;
      tap.add(step.value);
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return tap;
}

export function captureSimulatorCalls(onCall: CallSink): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/sim/_control') || c.req.header(OWN_CALL_HEADER) !== undefined) {
      return next();
    }
    const startedAt = Date.now();
    const t0 = performance.now();
    await next();
    const res = c.res;
    const requestBody = await readBody(c.req.bodyCache as Record<string, unknown>);
    let response: RecordedResponse | null = null;
    let failure: UpstreamFailure | null = null;
    if (res.headers.has(ALREADY_SENT)) {
      failure = {
        kind: 'unreachable',
        message: 'the simulator broke the connection on purpose (a fault drill)',
      };
    } else {
      const body = await answerBody(res);
      response = {
        status: res.status,
        statusText: STATUS_CODES[res.status] ?? '',
        headers: headerPairs(res.headers),
        body: body?.text() ?? '',
        truncated: body?.truncated ?? false,
      };
    }
    const url = new URL(c.req.url);
    onCall({
      startedAt,
      durationMs: Math.round((performance.now() - t0) * 10) / 10,
      request: {
        method: c.req.method,
        url: c.req.url,
        headers: sentHeaders(c.req.raw.headers),
        body: requestBody?.text() ?? null,
      },
      response,
      failure,
      upstream: 'simulator',
      localPath: url.pathname + url.search,
      userAgent: c.req.header('user-agent') ?? null,
      requestBodyTruncated: requestBody?.truncated ?? false,
    });
  };
}
