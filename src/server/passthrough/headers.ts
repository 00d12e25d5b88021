/**
 * Which headers cross the pass-through. Requests: only the end-to-end headers a PandaDoc client
 * uses (an allow-list, so hop-by-hop headers, Host, cookies, and anything that could steer a proxy,
 * such as X-Forwarded-Host or X-HTTP-Method-Override, never reach the upstream). Responses:
 * everything but hop-by-hop headers (RFC 9110 §7.6.1), and the framing headers of a body that
 * fetch has already decoded.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
 */
import type { Header } from '../../lib/api/wire.ts';

/** End-to-end request headers passed on, as the client sent them. */
export const PASSED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'user-agent',
]);

/** Hop-by-hop: they describe one connection, never the message. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Each passed header's name as one string, the same object in every request: the capture compares
 * each call with the one before (capture/share.ts), and two names that are one object compare
 * without reading either (in the server under the capture bench's load, ring.add went from about
 * 1.5 µs a call to 1.2; scratch runs, not kept).
 */
const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map(
  [...PASSED_REQUEST_HEADERS].map((name) => [name, name]),
);

/**
 * Header pairs in the order they are added; `previous` itself when they come out the very same
 * pairs. The capture keeps one list for a run of like calls (capture/share.ts): a call whose list
 * is the newest call's own compares with it without either list being read again. Compared as
 * the pairs go by, while each value is at hand: in the server under the capture bench's load,
 * reading both lists again when the call was recorded cost about 0.9 % of p50 latency (an A/B of
 * a scratch version of this against the old comparison, in one server process: 1.036× of capture
 * off against 1.027×; not kept).
 */
export class HeaderList {
  readonly #previous: readonly Header[] | undefined;
  /** How many pairs so far were `previous`'s, in order. */
  #matched = 0;
  /** The pairs, once one is not `previous`'s (at once when there is no `previous`). */
  #pairs: Header[] | null;

  constructor(previous?: readonly Header[]) {
    this.#previous = previous;
    this.#pairs = previous ? null : [];
  }

  add(name: string, value: string): void {
    if (this.#pairs === null) {
      const pair = this.#previous![this.#matched];
      if (pair !== undefined && pair[0] === name && pair[1] === value) {
        this.#matched++;
        return;
      }
      this.#pairs = this.#previous!.slice(0, this.#matched);
    }
    this.#pairs.push([name, value]);
  }

  /** The pairs added: `previous` itself when they were all of its pairs, in order. */
  list(): Header[] {
    if (this.#pairs !== null) return this.#pairs;
    const previous = this.#previous as Header[];
    return this.#matched === previous.length ? previous : previous.slice(0, this.#matched);
  }
}

/**
 * The client's headers that go upstream, in the client's order. `raw`: Node's rawHeaders
 * ([name, value, name, value…] as received), read directly when the request came over a socket:
 * a Headers object would first have to be built from them. `previous`: the newest captured call's
 * list, returned itself when the headers are the same (see HeaderList).
 */
export function upstreamRequestHeaders(
  headers: Headers,
  raw?: readonly string[],
  previous?: readonly Header[],
): Header[] {
  const out = new HeaderList(previous);
  if (raw) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = CANONICAL_NAMES.get(raw[i].toLowerCase());
      if (name !== undefined) out.add(name, raw[i + 1]);
    }
    return out.list();
  }
  headers.forEach((value, name) => {
    const canonical = CANONICAL_NAMES.get(name);
    if (canonical !== undefined) out.add(canonical, value);
  });
  return out.list();
}

/** Names a `Connection` header lists are hop-by-hop for this message too. */
function connectionListed(headers: Headers): Set<string> | null {
  const value = headers.get('connection');
  if (!value) return null;
  return new Set(value.split(',').map((n) => n.trim().toLowerCase()));
}

/**
 * The upstream's answer headers, for the client. `decoded`: fetch has already undone the
 * Content-Encoding, so the upstream's Content-Encoding and Content-Length no longer describe it.
 * `received`, when given, gets every upstream header as it came (for the capture, see
 * HeaderList), in the same pass: walking a Headers object sorts it each time.
 */
export function clientResponseHeaders(
  upstream: Headers,
  decoded: boolean,
  received?: HeaderList,
): Headers {
  const out = new Headers();
  const listed = connectionListed(upstream);
  upstream.forEach((value, name) => {
    received?.add(name, value);
    if (HOP_BY_HOP.has(name) || name.startsWith('proxy-') || listed?.has(name)) return;
    if (decoded && (name === 'content-encoding' || name === 'content-length')) return;
    out.append(name, value);
  });
  return out;
}

/** Headers as recorded pairs (forEach keeps several Set-Cookie headers apart). */
export function headerPairs(headers: Headers): Header[] {
  const out: Header[] = [];
  headers.forEach((value, name) => out.push([name, value]));
  return out;
}
