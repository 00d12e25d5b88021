/**
 * One HAR entry → one recorded exchange. Reads HAR 1.2 as Chrome, Firefox, Safari, Charles, Fiddler
 * and mitmproxy write it; vendor fields (`_initiator`, `_resourceType`, `_error` …) are ignored, except
 * Chrome's `_error`, which says why there is no answer.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
import type { Header, UpstreamExchange } from '../api/wire.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import { entryRole, safeUrl, type EntryRole } from './roles.ts';
import type { EvidenceEntry } from './types.ts';
import { refusalOf } from '../verdict/classify.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function headersOf(v: unknown): Header[] {
  if (!Array.isArray(v)) return [];
  const out: Header[] = [];
  for (const h of v) {
    if (isRecord(h) && typeof h.name === 'string') out.push([h.name, str(h.value)]);
  }
  return out;
}

/** Firefox sometimes gives only `params`; a form is rebuilt from them. */
function requestBody(postData: unknown): string | null {
  if (!isRecord(postData)) return null;
  if (typeof postData.text === 'string') return postData.text;
  if (Array.isArray(postData.params)) {
    const form = new URLSearchParams();
    for (const p of postData.params) {
      if (isRecord(p) && typeof p.name === 'string') form.append(p.name, str(p.value));
    }
    return form.toString();
  }
  return null;
}

function decodeBase64(text: string): string {
  try {
    const bin = atob(text.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return text;
  }
}

function responseBody(content: unknown): string {
  if (!isRecord(content) || typeof content.text !== 'string') return '';
  return content.encoding === 'base64' ? decodeBase64(content.text) : content.text;
}

/** This app's own /api/token and /api/members/current answer with the upstream call itself. */
const OWN_API = /\/api\/(token|members\/current)$/;

function isExchange(v: unknown): v is UpstreamExchange {
  return (
    isRecord(v) &&
    typeof v.startedAt === 'number' &&
    typeof v.durationMs === 'number' &&
    isRecord(v.request) &&
    typeof v.request.url === 'string' &&
    typeof v.request.method === 'string' &&
    Array.isArray(v.request.headers) &&
    (v.response === null || isRecord(v.response))
  );
}

/**
 * A HAR of this debugger itself: its calls to PandaDoc are inside the answers of its own API, as
 * the local server recorded them (client_secret already redacted). Those are read as the calls.
 */
function ownCall(raw: Record<string, unknown>, url: string, entry: number): HarEntryRead | null {
  const path = safeUrl(url)?.pathname ?? '';
  if (!OWN_API.test(path) || !isRecord(raw.response)) return null;
  const parsed = tryParseJson(responseBody(raw.response.content));
  if (!parsed.ok || !isExchange(parsed.value)) return null;
  const exchange = parsed.value;
  const role = entryRole(exchange.request.url, exchange.request.headers);
  if (role !== 'token' && role !== 'api') return null;
  return { role, entry: { entry, exchange, timed: true } };
}

export interface HarEntryRead {
  role: EntryRole;
  entry: EvidenceEntry;
}

/**
 * The exchange of a parsed HAR entry, or null when it is not part of the OAuth story (or not an
 * entry at all). Bodies of callback pages are dropped: only their URL matters.
 */
export function readHarEntry(raw: unknown, entry: number): HarEntryRead | null {
  if (!isRecord(raw) || !isRecord(raw.request)) return null;
  const req = raw.request;
  const url = str(req.url);
  const headers = headersOf(req.headers);
  const own = ownCall(raw, url, entry);
  if (own) return own;
  const role = entryRole(url, headers);
  if (!role) return null;
  const started = Date.parse(str(raw.startedDateTime));
  const time = typeof raw.time === 'number' && raw.time >= 0 ? raw.time : 0;
  const res = isRecord(raw.response) ? raw.response : null;
  const status = typeof res?.status === 'number' ? res.status : 0;
  const keepBodies = role !== 'callback_candidate';
  const answered = res !== null && status > 0;
  const resHeaders = answered ? headersOf(res.headers) : [];
  // HAR keeps the Location of a redirect in `redirectURL` too; some tools write only that.
  const location = answered ? str(res.redirectURL) : '';
  if (location && !resHeaders.some(([k]) => k.toLowerCase() === 'location'))
    resHeaders.push(['Location', location]);
  const exchange: UpstreamExchange = {
    startedAt: Number.isFinite(started) ? started : 0,
    durationMs: Math.round(time),
    request: {
      method: str(req.method) || 'GET',
      url,
      headers,
      body: keepBodies ? requestBody(req.postData) : null,
    },
    response: answered
      ? {
          status,
          statusText: str(res.statusText),
          headers: resHeaders,
          body: keepBodies ? responseBody(res.content) : '',
          truncated: false,
        }
      : null,
    failure: answered
      ? null
      : {
          kind: 'unreachable',
          message:
            str(raw._error) ||
            'the recording has no answer for this request (blocked, cancelled or failed)',
        },
  };
  // This debugger's own export marks the calls it answered itself (har/fromExchanges.ts).
  const refused = refusalOf({ ...exchange, refused: raw._debuggerRefused } as UpstreamExchange);
  if (refused) Object.assign(exchange, { refused });
  return { role, entry: { entry, exchange, timed: Number.isFinite(started) } };
}
