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
 * The client's headers that go upstream, in the client's order. `raw`: Node's rawHeaders
 * ([name, value, name, value…] as received), read directly when the request came over a socket:
 * a Headers object would first have to be built from them.
 */
export function upstreamRequestHeaders(headers: Headers, raw?: readonly string[]): Header[] {
  const out: Header[] = [];
  if (raw) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = CANONICAL_NAMES.get(raw[i].toLowerCase());
      if (name !== undefined) out.push([name, raw[i + 1]]);
    }
    return out;
  }
  headers.forEach((value, name) => {
    const canonical = CANONICAL_NAMES.get(name);
    if (canonical !== undefined) out.push([canonical, value]);
  });
  return out;
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
 * `received`, when given, gets every upstream header as it came (for the capture), in the same
 * pass: walking a Headers object sorts it each time.
 */
export function clientResponseHeaders(
  upstream: Headers,
  decoded: boolean,
  received?: Header[],
): Headers {
  const out = new Headers();
  const listed = connectionListed(upstream);
  upstream.forEach((value, name) => {
    received?.push([name, value]);
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
