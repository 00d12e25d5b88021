/**
 * Pasted evidence: recognises which of the accepted forms it is and reads it into entries. A HAR
 * pasted as text goes through the same reader as a file.
 */
import type { RecordedRequest, RecordedResponse, UpstreamExchange } from '../api/wire.ts';
import { isRecord, preview, tryParseJson } from '../oauth/guards.ts';
import { parseCurl } from './parseCurl.ts';
import { looksLikeHttp, parseHttp } from './parseHttp.ts';
import { parseSdkError } from './parseSdkError.ts';
import { readHarText } from './readHar.ts';
import { isAuthorizeUrl, isRedirectBack, safeUrl } from './roles.ts';
import type { EvidenceEntry, EvidenceError, EvidenceResult, EvidenceSource } from './types.ts';

const NO_REQUEST: RecordedRequest = { method: '', url: '', headers: [], body: null };

function exchange(request: RecordedRequest, response: RecordedResponse | null): UpstreamExchange {
  return { startedAt: 0, durationMs: 0, request, response, failure: null };
}

/** When an answer carries a Date header, that is the best time the paste has. */
function dated(ex: UpstreamExchange): { ex: UpstreamExchange; timed: boolean } {
  const date = ex.response?.headers.find(([k]) => k.toLowerCase() === 'date')?.[1];
  const at = date ? Date.parse(date) : NaN;
  return Number.isFinite(at) ? { ex: { ...ex, startedAt: at }, timed: true } : { ex, timed: false };
}

/** A token answer or an API answer, from its fields. */
function roleOfBody(value: unknown): 'token' | 'api' | null {
  if (!isRecord(value)) return null;
  if ('error' in value || 'access_token' in value || 'grant_type' in value) return 'token';
  if ('type' in value || 'detail' in value || 'user_id' in value) return 'api';
  return null;
}

const ok = (
  source: EvidenceSource,
  detail: string,
  entries: EvidenceEntry[],
  notes: string[] = [],
): EvidenceResult => ({
  ok: true,
  evidence: { source, detail, entries, total: entries.length, notes },
});
const fail = (code: EvidenceError['code'], message: string): EvidenceResult => ({
  ok: false,
  error: { code, message },
});

function readJsonBody(value: unknown): EvidenceResult {
  const role = roleOfBody(value);
  if (!role || !isRecord(value)) {
    const keys = isRecord(value) ? Object.keys(value).slice(0, 5) : [];
    return fail(
      'unrecognised',
      `This is JSON, but neither a HAR (no "log") nor a PandaDoc request or answer (no "error", "access_token", "grant_type" or "type" field)${keys.length ? `; its fields are ${keys.map((k) => `"${k}"`).join(', ')}` : ''}.`,
    );
  }
  const text = JSON.stringify(value);
  if ('grant_type' in value) {
    // A token request written as JSON: PandaDoc wants a form, so this is itself the finding.
    const request = {
      method: 'POST',
      url: '',
      headers: [['Content-Type', 'application/json']] as [string, string][],
      body: text,
    };
    return ok('json_body', 'a token request body (JSON)', [
      { entry: 1, exchange: exchange(request, null), timed: false, role: 'token' },
    ]);
  }
  const type = typeof value.type === 'string' ? value.type : '';
  const status =
    'access_token' in value || 'user_id' in value
      ? 200
      : type === 'authentication_error'
        ? 401
        : type === 'permission_error'
          ? 403
          : type === 'throttled'
            ? 429
            : 400;
  const response: RecordedResponse = {
    status,
    statusText: '',
    headers: [['content-type', 'application/json']],
    body: text,
    truncated: false,
  };
  const what = role === 'token' ? 'a token endpoint answer' : 'an API answer';
  return ok(
    'json_body',
    `${what} (JSON body)`,
    [{ entry: 1, exchange: exchange(NO_REQUEST, response), timed: false, role }],
    [
      `The paste has no status line, so status ${status} is assumed${role === 'token' && status === 400 ? ' (PandaDoc answers every token error with 400)' : ''}.`,
    ],
  );
}

function readUrls(lines: string[]): EvidenceResult | null {
  const entries: EvidenceEntry[] = [];
  let source: EvidenceSource | null = null;
  for (const line of lines) {
    const query = /^\??[\w.-]+=[^\s]*$/.test(line) && !/^https?:/i.test(line);
    const url = query ? null : safeUrl(line);
    if (!query && (!url || !/^https?:$/.test(url.protocol))) return null;
    const kind =
      url && isAuthorizeUrl(url)
        ? 'authorize_url'
        : url
          ? isRedirectBack(url)
            ? 'redirect_url'
            : null
          : /(^|[?&])(code|error)=/.test(line)
            ? 'redirect_url'
            : null;
    if (!kind) return null;
    source ??= kind;
    const full = query ? (line.startsWith('?') ? line : `?${line}`) : line;
    const request = { method: 'GET', url: full, headers: [], body: null };
    entries.push({
      entry: entries.length + 1,
      exchange: exchange(request, null),
      timed: false,
      ...(kind === 'redirect_url' ? { role: 'callback_candidate' as const } : {}),
    });
  }
  if (!source) return null;
  return ok(source, entries.length > 1 ? `${entries.length} URLs` : 'one URL', entries);
}

/** Why a paste is none of the accepted forms, as specifically as its shape allows. */
function unrecognised(text: string): EvidenceResult {
  const one = text.split('\n')[0] ?? '';
  let why = `It starts "${preview(one, 40)}".`;
  if (/^eyJ[\w-]+\.[\w-]+\./.test(text))
    why = 'It looks like a JWT token on its own; PandaDoc tokens are checked in “Check a token”.';
  else if (/^[0-9a-f]{40}$/i.test(text))
    why =
      'It looks like a bare code or token (40 hex characters). Paste the whole redirect URL, request or error instead.';
  else if (text.startsWith('<'))
    why = 'It looks like HTML (a page), not a request, an answer or an error message.';
  return fail(
    'unrecognised',
    `This paste is none of the accepted forms: a HAR, a curl command, a raw HTTP request or response, a pandadoc-node-client error ("HTTP-Code: … Message: … Body: …"), a JSON body, an authorize URL or a redirect URL. ${why}`,
  );
}

/** Reads pasted text (or a small text file) as evidence. */
export function readEvidenceText(input: string): EvidenceResult {
  const text = input.replace(/^\ufeff/, '').trim();
  if (text === '') return fail('empty', 'Nothing was pasted.');
  if (text.startsWith('{') || text.startsWith('[')) {
    if (/^\{\s*"log"/.test(text) || /"entries"\s*:/.test(text.slice(0, 2_000_000))) {
      return readHarText(text);
    }
    const parsed = tryParseJson(text);
    if (!parsed.ok) {
      return fail(
        'not_json',
        `This starts like JSON but is not valid JSON (it may be cut off): "${preview(text, 40)}".`,
      );
    }
    return readJsonBody(parsed.value);
  }
  const sdk = parseSdkError(text);
  if (sdk) {
    const role = roleOfBody(
      tryParseJson(sdk.response.body).ok ? JSON.parse(sdk.response.body) : null,
    );
    const { ex, timed } = dated(exchange(NO_REQUEST, sdk.response));
    return ok('sdk_error', `HTTP ${sdk.response.status} “${sdk.message}”`, [
      { entry: 1, exchange: ex, timed, role: role ?? 'api' },
    ]);
  }
  if (/^(\$\s+)?(\S*[/\\])?curl(\.exe)?\s/.test(text)) {
    const curl = parseCurl(text);
    if (!curl.ok)
      return fail('unrecognised', `This looks like a curl command, but: ${curl.message}`);
    return ok('curl', `${curl.request.method} ${curl.request.url.split('?')[0]}`, [
      { entry: 1, exchange: exchange(curl.request, null), timed: false },
    ]);
  }
  if (looksLikeHttp(text)) {
    const http = parseHttp(text);
    if (http) {
      const { ex, timed } = dated(exchange(http.request ?? NO_REQUEST, http.response));
      const body = http.response ? tryParseJson(http.response.body) : ({ ok: false } as const);
      const role = http.request ? undefined : (roleOfBody(body.ok ? body.value : null) ?? 'api');
      const parts = [http.request && 'request', http.response && 'response'].filter(Boolean);
      return ok('http', `an HTTP ${parts.join(' and ')}`, [
        { entry: 1, exchange: ex, timed, ...(role ? { role } : {}) },
      ]);
    }
  }
  const urls = readUrls(text.split(/\s*\n\s*/).filter((l) => l !== ''));
  return urls ?? unrecognised(text);
}
