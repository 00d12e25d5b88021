/**
 * Failure drills: latency and broken answers for the token endpoint and members/current, the way
 * PandaDoc's infrastructure (or the network in between) produces them. A faulted call never
 * reaches the simulated service: nothing is issued, nothing is used up (a code survives it).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Fault } from './settings.ts';
import type { FaultEndpoint, SimulatorCore } from './state.ts';
import { DEMO_USER } from './member.ts';
import { EXPIRES_IN } from './tokens.ts';

type Broken = Exclude<Fault, 'none'>;

/** A well-formed answer of the right shape, with values that are not real tokens or users. */
function plausibleBody(endpoint: FaultEndpoint): string {
  return endpoint === 'token'
    ? JSON.stringify({
        access_token: '0000000000000000000000000000000000000000',
        token_type: 'Bearer',
        expires_in: EXPIRES_IN,
        scope: 'read write read+write',
        refresh_token: '1111111111111111111111111111111111111111',
      })
    : JSON.stringify(DEMO_USER);
}

/** What an AWS load balancer says when the service behind it is down. */
export const LOAD_BALANCER_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export const SERVER_ERROR_BODY = '{"type":"server_error","detail":"A server error occurred."}';

export const THROTTLED_BODY =
  '{"type":"throttled","detail":"Request was throttled. Expected available in 13 seconds."}';

/** `{"access_token": ` followed by garbage: the start of JSON that never becomes JSON. */
export function malformedBody(endpoint: FaultEndpoint): string {
  return endpoint === 'token'
    ? '{"access_token": 2ff2dfe36322448c69536167, "token_type": Bearer,}'
    : '{"user_id": FA5QAu8UGA3oVDDZuPL75B, "email": }';
}

/** Roughly the first half of a plausible body, cut mid-value. */
export function truncatedBody(endpoint: FaultEndpoint): { full: string; cut: string } {
  const full = plausibleBody(endpoint);
  return { full, cut: full.slice(0, Math.floor(full.length / 2)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tells @hono/node-server that the handler already wrote (or killed) the raw response. */
const alreadySent = () => new Response(null, { headers: { 'x-hono-already-sent': 'true' } });

function text(body: string, status: number, type: string, extra: Record<string, string> = {}) {
  return new Response(body, { status, headers: { 'Content-Type': type, ...extra } });
}

/** The raw Node request of this call, when served by @hono/node-server (not in-process). */
function rawSocket(c: Context) {
  const env = c.env as Partial<HttpBindings> | undefined;
  const socket = env?.incoming?.socket;
  return socket && !socket.destroyed ? socket : undefined;
}

async function faultResponse(c: Context, fault: Broken, endpoint: FaultEndpoint) {
  switch (fault) {
    case 'server_error':
      return text(SERVER_ERROR_BODY, 500, 'application/json');
    case 'html':
      return text(LOAD_BALANCER_502, 502, 'text/html', { Server: 'awselb/2.0' });
    case 'malformed_json':
      return text(malformedBody(endpoint), 200, 'application/json');
    case 'rate_limited':
      return text(THROTTLED_BODY, 429, 'application/json', { 'Retry-After': '13' });
    case 'truncated_json': {
      const { full, cut } = truncatedBody(endpoint);
      const socket = rawSocket(c);
      if (!socket) {
        // In-process there is no connection to close: a complete answer with a cut body.
        return text(cut, 200, 'application/json');
      }
      // Promise the whole body, send half of it, close the connection.
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${Buffer.byteLength(full)}\r\nConnection: close\r\n\r\n${cut}`,
      );
      socket.end();
      return alreadySent();
    }
    case 'reset': {
      const socket = rawSocket(c);
      if (!socket) {
        // In-process there is no connection to reset: the body fails as it is read.
        const error = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        return new Response(new ReadableStream({ start: (ctl) => ctl.error(error) }), {
          status: 200,
        });
      }
      // TCP RST where the platform allows it, else a plain close: no HTTP answer either way.
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return alreadySent();
    }
  }
}

/** Latency first, then the fault (if one applies to this endpoint); otherwise the real handler. */
export function faultInjection(core: SimulatorCore, endpoint: FaultEndpoint): MiddlewareHandler {
  return async (c, next) => {
    const latency = core.settings.latencyMs;
    if (latency > 0) await sleep(latency);
    const fault = core.takeFault(endpoint);
    if (!fault) return next();
    // Read the request to its end first, so closing the connection can't discard the answer.
    if (c.req.raw.body) await c.req.arrayBuffer().catch(() => undefined);
    return faultResponse(c, fault, endpoint);
  };
}
