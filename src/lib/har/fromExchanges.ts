/**
 * Recorded exchanges (the app's own calls, Traffic's captured calls) as a HAR 1.2 file that
 * Chrome's and Firefox's DevTools can import. Secrets are still in it: pass the result through
 * sanitizeHar before it leaves the browser.
 */
import type { Cookie, Entry, Har, Header as HarHeader, PostData, Response } from 'har-format';
import type { Header, UpstreamExchange } from '../api/wire.ts';
import { refusalOf } from '../verdict/classify.ts';

export interface HarCreator {
  name: string;
  version: string;
}

export const DEFAULT_CREATOR: HarCreator = { name: 'PandaDoc OAuth Debugger', version: '0.1.0' };

/**
 * Captured calls say when their request body was cut (the app's own calls never are), and when
 * the debugger answered them itself (`refused`, lib/api/traffic.ts).
 */
type Exchange = UpstreamExchange & { requestBodyTruncated?: boolean; refused?: unknown };

const utf8Length = (text: string) => new TextEncoder().encode(text).length;
const toHarHeaders = (headers: Header[]): HarHeader[] =>
  headers.map(([name, value]) => ({ name, value }));
const headerValue = (headers: Header[], name: string) =>
  headers.find(([n]) => n.toLowerCase() === name)?.[1];

function requestCookies(headers: Header[]): Cookie[] {
  const cookie = headerValue(headers, 'cookie');
  if (!cookie) return [];
  return cookie.split(';').flatMap((part) => {
    const eq = part.indexOf('=');
    return eq > 0 ? [{ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() }] : [];
  });
}

function responseCookies(headers: Header[]): Cookie[] {
  return headers
    .filter(([name]) => name.toLowerCase() === 'set-cookie')
    .flatMap(([, value]) => {
      const first = value.split(';')[0];
      const eq = first.indexOf('=');
      return eq > 0 ? [{ name: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() }] : [];
    });
}

function queryString(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function postData(call: Exchange): PostData | undefined {
  const body = call.request.body;
  if (body === null) return undefined;
  const mimeType = headerValue(call.request.headers, 'content-type') ?? '';
  const form = /^application\/x-www-form-urlencoded/i.test(mimeType);
  // Chrome and Playwright write both text and params for a form; the type allows one of them.
  return {
    mimeType,
    text: body,
    ...(form && {
      params: [...new URLSearchParams(body)].map(([name, value]) => ({ name, value })),
    }),
    ...(call.requestBodyTruncated && { comment: 'body cut by the capture at 64 KiB' }),
  } as PostData;
}

/** No answer: Chrome writes status 0 and the reason in `_error`. */
function noAnswer({ failure }: Exchange): Response {
  const response: Response & { _error: string } = {
    status: 0,
    statusText: '',
    httpVersion: '',
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: 'x-unknown' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    _error: failure ? `${failure.kind}: ${failure.message}` : 'no response',
  };
  return response;
}

function toEntry(call: Exchange): Entry {
  const { request, response } = call;
  const duration = Number.isFinite(call.durationMs) && call.durationMs >= 0 ? call.durationMs : 0;
  const body = request.body;
  const entry: Entry = {
    // Pasted evidence may not say when it happened: the epoch, rather than an invalid date.
    startedDateTime: new Date(Number.isFinite(call.startedAt) ? call.startedAt : 0).toISOString(),
    time: duration,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: 'HTTP/1.1',
      cookies: requestCookies(request.headers),
      headers: toHarHeaders(request.headers),
      queryString: queryString(request.url),
      headersSize: -1,
      bodySize: body === null ? 0 : call.requestBodyTruncated ? -1 : utf8Length(body),
    },
    response: response
      ? {
          status: response.status,
          statusText: response.statusText,
          httpVersion: 'HTTP/1.1',
          cookies: responseCookies(response.headers),
          headers: toHarHeaders(response.headers),
          content: {
            size: utf8Length(response.body),
            mimeType: headerValue(response.headers, 'content-type') ?? 'x-unknown',
            text: response.body,
            ...(response.truncated && { comment: 'body cut by the debugger at its size limit' }),
          },
          redirectURL: headerValue(response.headers, 'location') ?? '',
          headersSize: -1,
          bodySize: response.truncated ? -1 : utf8Length(response.body),
        }
      : noAnswer(call),
    cache: {},
    timings: { send: 0, wait: duration, receive: 0 },
  };
  const data = postData(call);
  if (data) entry.request.postData = data;
  const refusal = refusalOf(call);
  if (refusal) {
    // HAR 1.2 allows custom fields that start with "_": this debugger's reader (evidence/harEntry)
    // reads the mark back, so a re-imported call is still the debugger's answer, not PandaDoc's.
    Object.assign(entry, {
      _debuggerRefused: refusal,
      comment: `answered by the PandaDoc OAuth Debugger itself, never sent on: ${refusal.reason}`,
    });
  }
  return entry;
}

/** A HAR 1.2 log of the calls, oldest first as given. */
export function toHar(
  calls: readonly UpstreamExchange[],
  creator: HarCreator = DEFAULT_CREATOR,
): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: creator.name, version: creator.version },
      // Firefox's importer wants the array, even empty.
      pages: [],
      entries: calls.map(toEntry),
    },
  };
}
