/**
 * The built-in simulator as an upstream without the loopback hop. A fetch-compatible function
 * sends `${origin}/sim/...` URLs straight to the simulator's Hono app in this process and
 * everything else to the network, so the callers (the pass-through, `forward`) stay one code path
 * and still name the URL they would call. Two faults only a real connection can show (a reset and
 * a body cut off mid-way) still go over the loopback socket, as does any call made while this
 * process is not the one answering at the origin (in-process tests, another port).
 */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { SimulatorCore } from '../simulator/state.ts';

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
    if (SOCKET_FAULTS.has(core.settings.fault)) return loopback(input, init);
    // Only the latency setting makes the simulator wait; without it there is nothing to time out
    // (and the signal, often made on demand, is not even looked at).
    return dispatch(app, url, init, core.settings.latencyMs > 0);
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

function dispatch(
  app: FetchApp,
  url: string,
  init: RequestInit,
  mayWait: boolean,
): Promise<Response> {
  const signal = mayWait ? (init.signal ?? undefined) : undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
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
  let answer: Response | Promise<Response>;
  try {
    answer = app.fetch(request);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!signal) return Promise.resolve(answer);
  // Nothing inside the simulator watches the signal: the caller's deadline wins the race.
  return new Promise<Response>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(answer).then(
      (res) => {
        signal.removeEventListener('abort', onAbort);
        resolve(res);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const decoder = new TextDecoder();

/**
 * Just enough of a Request for a Hono app, for a body that is already whole: building a real
 * Request costs more than the rest of a simulator call.
 */
class LocalRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  #body: string | Uint8Array | null;
  #used = false;
  #signal: AbortSignal | undefined;

  constructor(
    url: string,
    method: string,
    headers: HeadersInit | undefined,
    body: string | Uint8Array | null,
  ) {
    this.url = url;
    this.method = method;
    this.headers = new Headers(headers);
    this.#body = body;
    if (body !== null && !this.headers.has('content-length')) {
      const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      this.headers.set('content-length', String(length));
    }
  }

  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === null) return null;
    const bytes = this.#bytes();
    return new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  #bytes(): Uint8Array {
    const body = this.#body ?? '';
    return typeof body === 'string' ? Buffer.from(body) : body;
  }

  #take(): Promise<Uint8Array> {
    if (this.#used) return Promise.reject(new TypeError('Body is unusable: already read'));
    this.#used = true;
    return Promise.resolve(this.#bytes());
  }

  text(): Promise<string> {
    if (typeof this.#body === 'string' && !this.#used) {
      this.#used = true;
      return Promise.resolve(this.#body);
    }
    return this.#take().then((b) => decoder.decode(b));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().then((b) => b.slice().buffer as ArrayBuffer);
  }

  bytes(): Promise<Uint8Array> {
    return this.#take();
  }

  json(): Promise<unknown> {
    return this.text().then((t) => JSON.parse(t) as unknown);
  }

  blob(): Promise<Blob> {
    return this.#take().then(
      (b) =>
        new Blob([b as Uint8Array<ArrayBuffer>], { type: this.headers.get('content-type') ?? '' }),
    );
  }

  formData(): Promise<FormData> {
    const type = this.headers.get('content-type') ?? '';
    return this.#take().then((b) =>
      new Response(b as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } }).formData(),
    );
  }
}

/** The symbol under which @hono/node-server's lightweight Response keeps [status, body, headers]. */
let cacheSymbol: symbol | undefined;

/**
 * A Response's body without reading it, when it is one of @hono/node-server's lightweight
 * Responses built from a string or bytes (what the simulator answers with when served by Node):
 * reading it the standard way would first build a real Response and a stream around the string.
 * Undefined for any other Response: read it the standard way.
 */
export function wholeBody(res: Response): string | Uint8Array | null | undefined {
  // Found on the first lightweight Response seen, then reused.
  cacheSymbol ??= Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
  if (cacheSymbol === undefined) return undefined;
  const cache = (res as unknown as Record<symbol, unknown>)[cacheSymbol];
  if (!Array.isArray(cache)) return undefined;
  const body: unknown = cache[1];
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return body;
  return undefined;
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
