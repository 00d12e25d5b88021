/**
 * Request and Response without their construction cost, for calls that never leave the process:
 * building a real Request, or reading a Response the standard way, costs more than the rest of
 * an in-process simulator call.
 */

const decoder = new TextDecoder();

/**
 * Just enough of a Request for a Hono app, for a body that is already whole: building a real
 * Request costs more than the rest of a simulator call.
 */
export class LocalRequest {
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
    // A copy: a Buffer may be a view into a shared pool, and slice() on it does not copy.
    return this.#take().then((b) => new Uint8Array(b).buffer);
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
