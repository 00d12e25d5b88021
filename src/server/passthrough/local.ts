/**
 * The built-in simulator as an upstream without the loopback hop. A fetch-compatible function
 * sends `${origin}/sim/...` URLs straight to the simulator's Hono app in this process and
 * everything else to the network, so the callers (the pass-through, `forward`) stay one code path
 * and still name the URL they would call. Two faults only a real connection can show (a reset and
 * a body cut off mid-way) still go over the loopback socket, as do latency drills and any call
 * made while this process is not the one answering at the origin (in-process tests, another port).
 */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { SimulatorCore } from '../simulator/state.ts';
import { LocalRequest } from './lightweight.ts';

/** What the server sends its upstream calls with: fetch, or something that answers like it. */
export type FetchLike = typeof fetch;

const urlOf = (input: string | URL | Request) =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

/** Faults a simulator can only produce on a real socket (see simulator/faults.ts). */
const SOCKET_FAULTS: ReadonlySet<string> = new Set(['reset', 'truncated_json']);

/**
 * Sent by this server on its own loopback calls to /sim, so they are not captured as if a client
 * had made them (never shown: the inspector records the request before it is sent).
 */
export const OWN_CALL_HEADER = 'x-pandadoc-debugger-own-call';

interface FetchApp {
  fetch: (request: Request) => Response | Promise<Response>;
}

export interface LocalSimulatorOptions {
  /** The app's origin, e.g. http://127.0.0.1:5173: `${origin}/sim/` URLs are in-process. */
  origin: string;
  /** Serves `/sim/...` paths: the simulator mounted at /sim, and nothing else. */
  app: FetchApp;
  core: SimulatorCore;
  /** Everything else, and the socket-only faults. */
  network: FetchLike;
}

export function localSimulatorFetch({ origin, app, core, network }: LocalSimulatorOptions) {
  const prefix = `${origin}/sim/`;
  const loopback = ownCalls(network, prefix);
  const local: FetchLike = (input, init = {}) => {
    const url = urlOf(input);
    if (!url.startsWith(prefix)) return network(input, init);
    // The socket faults need a real connection. With latency the simulator waits before it picks
    // its fault, so a fault set meanwhile could be one of those: that call takes the socket too
    // (and the network's abort signal times it out). Otherwise the whole simulator call, fault
    // choice included, runs synchronously right here: nothing can change in between.
    const { fault, latencyMs } = core.settings;
    if (SOCKET_FAULTS.has(fault) || latencyMs > 0) return loopback(input, init);
    return dispatch(app, url, init);
  };
  return { local, loopback };
}

/** `network`, marking this server's own calls to its /sim mount (see OWN_CALL_HEADER). */
export function ownCalls(network: FetchLike, prefix: string): FetchLike {
  return (input, init = {}) => {
    if (!urlOf(input).startsWith(prefix)) return network(input, init);
    const headers = new Headers(init.headers);
    headers.set(OWN_CALL_HEADER, '1');
    return network(input, { ...init, headers });
  };
}

/**
 * True when this request arrived on a socket at the configured port: then `${origin}/sim` is this
 * very process and may be called in-process.
 */
export function servedHere(c: Context, port: number): boolean {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env?.incoming?.socket?.localPort === port;
}

function dispatch(app: FetchApp, url: string, init: RequestInit): Promise<Response> {
  const body = init.body;
  const request =
    body == null || typeof body === 'string' || body instanceof Uint8Array
      ? (new LocalRequest(
          url,
          init.method ?? 'GET',
          init.headers,
          body ?? null,
        ) as unknown as Request)
      : new Request(url, { ...init, duplex: 'half' } as RequestInit);
  try {
    return Promise.resolve(app.fetch(request));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export interface UpstreamTransport {
  /** For the app's own API (its calls to /sim are marked as its own). */
  api: FetchLike;
  /** For a pass-through call made while serving `c`. */
  fetchFor: (c: Context) => FetchLike;
}

/**
 * How the server reaches its upstreams. An injected `fetchImpl` (tests) carries every call;
 * otherwise the network, with the simulator in-process whenever this process answers the origin.
 */
export function upstreamTransport(options: {
  origin: string;
  port: number;
  /** The simulator app mounted at /sim, and nothing else. */
  simulator: FetchApp;
  core: SimulatorCore;
  fetchImpl?: FetchLike;
}): UpstreamTransport {
  const { fetchImpl } = options;
  if (fetchImpl) return { api: fetchImpl, fetchFor: () => fetchImpl };
  const network: FetchLike = (input, init) => fetch(input, init);
  const { local, loopback } = localSimulatorFetch({ ...options, app: options.simulator, network });
  return {
    api: loopback,
    fetchFor: (c) => (servedHere(c, options.port) ? local : loopback),
  };
}
