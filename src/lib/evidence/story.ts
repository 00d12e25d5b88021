/**
 * PandaDoc's OAuth story out of a recording: authorize requests, the consent answer, redirects back,
 * token calls and API calls, in time order. A URL carrying code= counts as a redirect back only
 * when it goes where an authorize request said to redirect (or where PandaDoc's answer pointed).
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import { entryRole, headerValue, isRedirectBack, safeUrl, whereOf } from './roles.ts';
import type { EvidenceEntry, StepKind } from './types.ts';

export interface StoryItem {
  entry: number;
  kind: StepKind;
  exchange: UpstreamExchange;
  timed: boolean;
  /**
   * authorize: its query; consent: its form; callback: the redirect's query; token calls: the
   * form (or JSON) fields sent. Empty for API calls.
   */
  params: URLSearchParams;
  /** The query string exactly as written (scope encodings are read from it). */
  rawQuery: string;
  /** The token request body was JSON (PandaDoc wants a form). */
  jsonBody: boolean;
}

export interface Story {
  items: StoryItem[];
  /** Entries that are not part of the story. */
  setAside: number;
}

/** The query of a URL, or of a bare `?a=b` string. */
export function rawQueryOf(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash < 0 ? undefined : hash);
}

function isForm(ex: UpstreamExchange): boolean {
  const type = headerValue(ex.request.headers, 'content-type') ?? '';
  return /^application\/x-www-form-urlencoded/i.test(type.trim());
}

/** Fields of a token request: the form, or a JSON object's string fields. */
function tokenFields(ex: UpstreamExchange): { params: URLSearchParams; json: boolean } {
  const body = ex.request.body ?? '';
  const type = headerValue(ex.request.headers, 'content-type') ?? '';
  if (/json/i.test(type) || /^\s*\{/.test(body)) {
    const parsed = tryParseJson(body);
    const params = new URLSearchParams();
    if (parsed.ok && isRecord(parsed.value)) {
      for (const [k, v] of Object.entries(parsed.value))
        if (typeof v === 'string' || typeof v === 'number') params.append(k, String(v));
    }
    return { params, json: body.trim() !== '' };
  }
  return { params: new URLSearchParams(isForm(ex) || body ? body : ''), json: false };
}

function item(e: EvidenceEntry, kind: StepKind, params: URLSearchParams, json = false): StoryItem {
  return {
    entry: e.entry,
    kind,
    exchange: e.exchange,
    timed: e.timed,
    params,
    rawQuery: rawQueryOf(e.exchange.request.url),
    jsonBody: json,
  };
}

/** Where PandaDoc sent the browser back, when its answer was a redirect with a code or an error. */
function redirectTarget(ex: UpstreamExchange): string | null {
  const status = ex.response?.status ?? 0;
  if (status < 300 || status >= 400) return null;
  const location = headerValue(ex.response?.headers ?? [], 'location');
  const u = location ? safeUrl(location) : null;
  return u && isRedirectBack(u) ? location : null;
}

export function buildStory(entries: readonly EvidenceEntry[], total: number): Story {
  const items: StoryItem[] = [];
  const candidates: EvidenceEntry[] = [];
  for (const e of entries) {
    const { request } = e.exchange;
    const role = e.role ?? entryRole(request.url, request.headers);
    if (role === 'authorize') {
      const consent = request.method.toUpperCase() === 'POST';
      const params = new URLSearchParams(consent ? (request.body ?? '') : rawQueryOf(request.url));
      items.push(item(e, consent ? 'consent' : 'authorize', params));
    } else if (role === 'token') {
      const { params, json } = tokenFields(e.exchange);
      const grant = params.get('grant_type');
      const kind =
        grant === 'authorization_code'
          ? 'exchange'
          : grant === 'refresh_token'
            ? 'refresh'
            : 'token';
      items.push(item(e, kind, params, json));
    } else if (role === 'api') {
      const members = /\/members\/current\/?$/.test(whereOf(request.url));
      items.push(item(e, members ? 'verify' : 'api', new URLSearchParams()));
    } else if (role === 'callback_candidate') candidates.push(e);
  }

  const redirectUris = new Set(
    items
      .filter((i) => i.kind === 'authorize' || i.kind === 'consent')
      .map((i) => i.params.get('redirect_uri'))
      .filter((u): u is string => !!u)
      .map(whereOf),
  );
  const targets = new Map<string, StoryItem>();
  for (const i of items) {
    if (i.kind !== 'authorize' && i.kind !== 'consent') continue;
    const target = redirectTarget(i.exchange);
    if (target && !targets.has(target)) targets.set(target, i);
  }
  const loaded = new Set<string>();
  for (const c of candidates) {
    const url = c.exchange.request.url;
    const ours =
      c.role === 'callback_candidate' || redirectUris.has(whereOf(url)) || targets.has(url);
    if (!ours) continue;
    loaded.add(url);
    items.push(item(c, 'callback', new URLSearchParams(rawQueryOf(url))));
  }
  // A redirect whose page load is not in the recording still brought a code (or an error) back.
  for (const [target, from] of targets) {
    if (loaded.has(target)) continue;
    const ex = from.exchange;
    items.push({
      entry: from.entry,
      kind: 'callback',
      exchange: {
        startedAt: ex.startedAt + ex.durationMs,
        durationMs: 0,
        request: { method: 'GET', url: target, headers: [], body: null },
        response: null,
        failure: null,
      },
      timed: from.timed,
      params: new URLSearchParams(rawQueryOf(target)),
      rawQuery: rawQueryOf(target),
      jsonBody: false,
    });
  }
  items.sort((a, b) => a.exchange.startedAt - b.exchange.startedAt || a.entry - b.entry);
  const used = new Set(items.map((i) => i.entry)).size;
  return { items, setAside: Math.max(0, total - used) };
}
