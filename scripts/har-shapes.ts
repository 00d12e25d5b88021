/**
 * HAR fixtures in the shapes other recorders write, built from what scripts/record-har-fixtures.ts
 * recorded for real (same calls, same simulator secrets):
 *
 * - Firefox (DevTools → Network → Save All As HAR): `log.browser`, pages with `page_N` ids and the
 *   URL as title, `bodySize` first in each request, all seven timings, `_securityState`, the port
 *   as `connection`; no Chromium vendor fields (`_initiator`, `_resourceType`, `_transferSize`…).
 * - mitmproxy's har_dump addon, beside the customer's backend: what the backend sent upstream.
 *   Creator "mitmproxy har_dump", `pages: [{ pageTimings: {} }]` (a page without id or title),
 *   Python `isoformat()` times with `+00:00`, integer timings without blocked/dns, lower-case
 *   header names as Node's fetch sends them, `content.compression`, and `serverIPAddress`.
 */
import type { Entry, Har, Header } from 'har-format';
import type { UpstreamExchange } from '../src/lib/api/wire.ts';

const FIREFOX = '140.0';
const FIREFOX_UA = `Mozilla/5.0 (X11; Linux x86_64; rv:${FIREFOX}) Gecko/20100101 Firefox/${FIREFOX}`;

function firefoxHeaders(headers: Header[]): Header[] {
  return headers
    .filter((h) => !/^sec-ch-ua/i.test(h.name))
    .map((h) => (/^user-agent$/i.test(h.name) ? { name: h.name, value: FIREFOX_UA } : h));
}

export function firefoxShape(har: Har): Har {
  const pageIds = new Map((har.log.pages ?? []).map((p, i) => [p.id, `page_${i + 1}`]));
  const entries = har.log.entries.map((e): Entry => {
    const { request: q, response: r } = e;
    const t = e.timings;
    const entry = {
      pageref: pageIds.get(e.pageref ?? '') ?? 'page_1',
      startedDateTime: e.startedDateTime,
      request: {
        bodySize: q.bodySize,
        method: q.method,
        url: q.url,
        httpVersion: 'HTTP/1.1',
        headers: firefoxHeaders(q.headers),
        cookies: q.cookies,
        queryString: q.queryString,
        headersSize: q.headersSize,
        ...(q.postData && { postData: q.postData }),
      },
      response: {
        status: r.status,
        statusText: r.statusText,
        httpVersion: 'HTTP/1.1',
        headers: r.headers,
        cookies: r.cookies,
        content: {
          mimeType: r.content.mimeType,
          size: Math.max(r.content.size, r.content.text?.length ?? 0),
          ...(r.content.text !== undefined && { text: r.content.text }),
          ...(r.content.encoding && { encoding: r.content.encoding }),
        },
        redirectURL: r.redirectURL,
        headersSize: r.headersSize,
        bodySize: r.bodySize,
      },
      cache: {},
      timings: {
        blocked: 0,
        dns: 0,
        connect: 0,
        ssl: 0,
        send: Math.round(t.send ?? 0),
        wait: Math.round(t.wait),
        receive: Math.round(t.receive),
      },
      time: Math.round(e.time),
      _securityState: 'insecure',
      serverIPAddress: '127.0.0.1',
      connection: new URL(q.url).port || '80',
    };
    return entry as Entry;
  });
  return {
    log: {
      version: '1.2',
      creator: { name: 'Firefox', version: FIREFOX },
      browser: { name: 'Firefox', version: FIREFOX },
      pages: (har.log.pages ?? []).map((p, i) => ({
        startedDateTime: p.startedDateTime,
        id: `page_${i + 1}`,
        title: entries.find((e) => e.pageref === `page_${i + 1}`)?.request.url ?? p.title,
        pageTimings: p.pageTimings,
      })),
      entries,
    },
  };
}

const pyIso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
const pairs = (list: [string, string][]) => list.map(([name, value]) => ({ name, value }));
/** mitmproxy's headersSize: len(str(headers)), i.e. `name: value\r\n` per header. */
const headersSize = (list: [string, string][]) =>
  list.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

/** What Node's fetch (undici) adds to the headers the backend set, in the order it sends them. */
function nodeRequestHeaders(call: UpstreamExchange): [string, string][] {
  const url = new URL(call.request.url);
  const set = call.request.headers.map(([k, v]): [string, string] => [k.toLowerCase(), v]);
  const body = call.request.body;
  return [
    ['host', url.host],
    ['connection', 'keep-alive'],
    ...set,
    ['accept', '*/*'],
    ['accept-language', '*'],
    ['sec-fetch-mode', 'cors'],
    ['user-agent', 'node'],
    ['accept-encoding', 'gzip, deflate'],
    ...(body !== null
      ? [['content-length', String(Buffer.byteLength(body))] as [string, string]]
      : []),
  ];
}

export function mitmproxyShape(calls: UpstreamExchange[]): Har {
  const entries = calls.map((call) => {
    const res = call.response!;
    const reqHeaders = nodeRequestHeaders(call);
    const size = Buffer.byteLength(res.body);
    const url = new URL(call.request.url);
    const timings = {
      send: 0,
      receive: 1,
      wait: Math.max(0, Math.round(call.durationMs) - 1),
      connect: -1,
      ssl: -1,
    };
    const entry: Record<string, unknown> = {
      startedDateTime: pyIso(call.startedAt),
      time: timings.send + timings.receive + timings.wait,
      request: {
        method: call.request.method,
        url: call.request.url,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: pairs(reqHeaders),
        queryString: pairs([...url.searchParams]),
        headersSize: headersSize(reqHeaders),
        bodySize: call.request.body === null ? 0 : Buffer.byteLength(call.request.body),
      },
      response: {
        status: res.status,
        statusText: res.statusText,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: pairs(res.headers),
        content: {
          size,
          compression: 0,
          mimeType: res.headers.find(([k]) => k === 'content-type')?.[1] ?? '',
          text: res.body,
        },
        redirectURL: res.headers.find(([k]) => k === 'location')?.[1] ?? '',
        headersSize: headersSize(res.headers),
        bodySize: size,
      },
      cache: {},
      timings,
    };
    if (call.request.method === 'POST') {
      const mimeType = reqHeaders.find(([k]) => k === 'content-type')?.[1] ?? '';
      const form = /x-www-form-urlencoded/.test(mimeType);
      (entry.request as Record<string, unknown>).postData = {
        mimeType,
        text: call.request.body ?? '',
        params: form ? pairs([...new URLSearchParams(call.request.body ?? '')]) : [],
      };
    }
    entry.serverIPAddress = url.hostname;
    return entry;
  });
  return {
    log: {
      version: '1.2',
      creator: { name: 'mitmproxy har_dump', version: '0.1', comment: 'mitmproxy version 10.4.2' },
      pages: [{ pageTimings: {} }],
      entries,
    },
  } as unknown as Har;
}
