/**
 * Test-only: small HAR files built from recorded exchanges (real simulator answers in the tests),
 * shaped as Chrome writes them, plus the browser's authorize and callback entries around them.
 */
import type { Entry, Har } from 'har-format';
import type { UpstreamExchange } from '../api/wire.ts';

const nv = (pairs: ReadonlyArray<readonly [string, string]>) =>
  pairs.map(([name, value]) => ({ name, value }));

export function harEntry(ex: UpstreamExchange, extra: Record<string, unknown> = {}): Entry {
  const url = new URL(ex.request.url, 'https://unknown.invalid');
  const type = ex.request.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const res = ex.response;
  return {
    startedDateTime: new Date(ex.startedAt).toISOString(),
    time: ex.durationMs,
    request: {
      method: ex.request.method,
      url: ex.request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: nv(ex.request.headers),
      queryString: nv([...url.searchParams]),
      ...(ex.request.body !== null
        ? { postData: { mimeType: type ?? 'text/plain', text: ex.request.body } }
        : {}),
      headersSize: -1,
      bodySize: ex.request.body?.length ?? 0,
    },
    response: {
      status: res?.status ?? 0,
      statusText: res?.statusText ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: nv(res?.headers ?? []),
      content: {
        size: res?.body.length ?? 0,
        mimeType: res?.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
        text: res?.body ?? '',
      },
      redirectURL: res?.headers.find(([k]) => k.toLowerCase() === 'location')?.[1] ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: ex.durationMs, receive: 0 },
    ...extra,
  } as Entry;
}

export function harOf(
  entries: Entry[],
  creator = { name: 'WebInspector', version: '537.36' },
): Har {
  return { log: { version: '1.2', creator, pages: [], entries } };
}

/** A GET in the browser: an authorize request, a callback page load, an unrelated asset. */
export function browserGet(
  url: string,
  at: number,
  status = 200,
  headers: Array<[string, string]> = [],
  body = '',
): UpstreamExchange {
  return {
    startedAt: at,
    durationMs: 40,
    request: { method: 'GET', url, headers: [['Accept', 'text/html']], body: null },
    response: { status, statusText: '', headers, body, truncated: false },
    failure: null,
  };
}

export function authorizeUrl(q: Record<string, string>, host = 'https://app.pandadoc.com'): string {
  const query = new URLSearchParams({
    client_id: 'cust-client-1',
    redirect_uri: 'https://app.customer.example/oauth/callback',
    scope: 'read write',
    response_type: 'code',
    state: 'st-123456',
    ...q,
  });
  return `${host}/oauth2/authorize?${query.toString()}`;
}

/** Unrelated traffic: a script and an analytics beacon. */
export function noise(at: number, n: number): Entry[] {
  return Array.from({ length: n }, (_, i) =>
    harEntry(
      browserGet(
        i % 2 ? `https://cdn.example/app.${i}.js` : `https://analytics.example/collect?e=${i}`,
        at + i,
        200,
        [['Content-Type', 'application/javascript']],
        'x'.repeat(200),
      ),
    ),
  );
}
