/**
 * Requests Node's HTTP parser refuses before the app sees them: a TLS handshake on this plain-HTTP
 * port (a client using https://), headers over Node's 16 KB limit, a header line it cannot read
 * (a token with its newline). Node answers 400 or 431 and closes the connection; without a record
 * of it, a developer whose client did one of these finds nothing in Traffic and cannot tell
 * whether the call arrived at all.
 *
 * Headers that never finish (408) are not recorded: Node gives no bytes with the timeout, so
 * nothing says which path it was for, and a browser's unused speculative connection ends the same.
 *
 * What such a request is made of is whatever the client (or anything else on this machine) sent:
 * only its method, path and User-Agent are read from it, each checked, and never its other
 * headers (they may hold a secret the client meant for PandaDoc).
 */
import { STATUS_CODES } from 'node:http';
import type { CapturedCall } from '../../lib/api/traffic.ts';
import type { ServerConfig } from '../config.ts';
import { clientErrorStatus, type ClientError } from '../listen.ts';
import { boundedRecorder, capturedUpstream, type Ring } from './refusal.ts';

/** What a refused request was, as far as it can be told from its bytes. */
export interface Unreadable {
  status: ReturnType<typeof clientErrorStatus>;
  /** A TLS handshake: the client speaks https:// to a plain-HTTP port. */
  tls: boolean;
  method: string | null;
  /** The request target (path and query), when the request line could be read. */
  target: string | null;
  userAgent: string | null;
  reason: string;
}

/** A TLS record carrying a handshake: content type 22, protocol version 3.x. */
const isTlsHandshake = (raw: Buffer) => raw.length >= 3 && raw[0] === 0x16 && raw[1] === 0x03;

const REQUEST_LINE = /^([A-Z]{1,20}) (\/[\x21-\x7e]{0,2047}) HTTP\/1\.[01]\r?\n/;
const USER_AGENT = /\r?\nuser-agent:[ \t]*([\x20-\x7e]{1,256}?)[ \t]*\r?\n/i;

function reasonFor(code: string): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'Its headers are over the 16 KB Node allows (431 Request Header Fields Too Large), so the debugger could not read the request.';
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_CHARACTER':
    case 'HPE_CR_EXPECTED':
    case 'HPE_LF_EXPECTED':
    case 'HPE_INVALID_CONSTANT':
      return `A header line could not be read (${code}): it holds a character HTTP does not allow there, such as a control character or a line break inside a value (a token read from a file with its newline, say).`;
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return 'It has both Content-Length and Transfer-Encoding, which HTTP/1.1 forbids: a proxy and a server could read different bodies from it.';
    default:
      return `It is not an HTTP/1.1 request Node could read (${code}).`;
  }
}

/**
 * The refused request, or null when there is nothing a developer could act on: the client went
 * away (ECONNRESET), headers that never finished (Node gives no bytes with a timeout, so nothing
 * says which path it was for), or bytes that are neither a TLS handshake nor a request line.
 */
export function describeUnreadable(error: ClientError): Unreadable | null {
  const code = error.code ?? 'unknown';
  if (code === 'ECONNRESET' || code === 'ERR_HTTP_REQUEST_TIMEOUT') return null;
  const raw = error.rawPacket ?? Buffer.alloc(0);
  if (isTlsHandshake(raw)) {
    return {
      status: 400,
      tls: true,
      method: null,
      target: null,
      userAgent: null,
      reason:
        'A TLS handshake arrived on this plain-HTTP port: the client called it with https://, and the debugger serves http:// only.',
    };
  }
  const text = raw.subarray(0, 64 * 1024).toString('latin1');
  const line = REQUEST_LINE.exec(text);
  if (!line) return null;
  return {
    status: clientErrorStatus(code),
    tls: false,
    method: line[1]!,
    target: line[2]!,
    userAgent: USER_AGENT.exec(text)?.[1] ?? null,
    reason: reasonFor(code),
  };
}

/** Refused requests held in the capture at a time: anything on this machine can send bytes here. */
export const MAX_UNREADABLE_HELD = 20;

/**
 * Records the requests Node refused on the pass-through's paths, and every TLS handshake (its
 * path cannot be read, and only a client pointed at this port sends one).
 */
export function unreadableRecorder(config: ServerConfig, ring: Ring) {
  const record = boundedRecorder(ring, MAX_UNREADABLE_HELD);
  return (error: ClientError, inFlight = false) => {
    // Broken in its body: the app has the request, and records it as the pass-through call it is.
    if (inFlight) return;
    const got = describeUnreadable(error);
    if (!got) return;
    const path = got.target?.split('?')[0] ?? null;
    const upstream = path === null ? config.defaultUpstream : capturedUpstream(config, path);
    if (!upstream) return;
    const origin = got.tls ? config.origin.replace(/^http:/, 'https:') : config.origin;
    const call: Omit<CapturedCall, 'seq'> = {
      startedAt: Date.now(),
      durationMs: 0,
      request: {
        method: got.method ?? '',
        url: `${origin}${got.target ?? '/'}`,
        headers: [],
        body: null,
      },
      response: {
        status: got.status,
        statusText: STATUS_CODES[got.status] ?? '',
        headers: [['connection', 'close']],
        body: '',
        truncated: false,
      },
      failure: null,
      upstream,
      localPath: got.target ?? '(a TLS handshake)',
      userAgent: got.userAgent,
      requestBodyTruncated: false,
      refused: { kind: got.tls ? 'https' : 'unreadable', reason: got.reason },
    };
    record(call);
  };
}
