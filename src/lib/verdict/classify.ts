/**
 * One verdict per call: decided once, right after the answer arrives, and stored with the call.
 * History, triage, the flow status, the diagram, the views, the evidence timeline and the Traffic
 * section all read this; none of them decides on its own whether a call worked.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { parseMemberResponse } from '../oauth/member.ts';
import { parseTokenResponse } from '../oauth/tokenResponse.ts';

/** What a call was for. `check` is a member call on a token pasted by hand. */
export type CallKind = 'exchange' | 'refresh' | 'verify' | 'check';

/**
 * What the answer proves about the code (exchange) or refresh token (refresh) that was sent.
 * - `spent`: a token pair came back, so the credential is used up (codes are single use, refresh rotates).
 * - `rejected`: `invalid_grant`: PandaDoc will not take it (used, expired, unknown or another client's).
 * - `untouched`: PandaDoc refused the call before looking at the credential (it checks the request
 *   and the client first), so the credential is as good as it was.
 * - `unknown`: no answer proves either (no answer, a timeout, a 5xx, an unreadable answer).
 */
export type GrantEffect = 'spent' | 'rejected' | 'untouched' | 'unknown';

export interface Verdict {
  outcome: 'ok' | 'error';
  /**
   * null when the call worked; otherwise the OAuth `error`, the API `type`, or one of
   * `timeout` / `unreachable` / `html` / `not_json` / `malformed` / `http_<status>`.
   */
  errorCode: string | null;
  /** For exchange and refresh; null for member calls. */
  grant: GrantEffect | null;
  /** One line a person reads: "200: a token pair", "400 invalid_grant", "no answer (timeout)". */
  summary: string;
}

/** Errors PandaDoc returns before it looks at the code or refresh token (pandadoc-oauth.md §2). */
const BEFORE_GRANT_CHECK = new Set(['invalid_request', 'unsupported_grant_type', 'invalid_client']);

const contentType = (call: UpstreamExchange) =>
  call.response?.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;

function noAnswer(call: UpstreamExchange, grant: GrantEffect | null): Verdict {
  const kind = call.failure?.kind ?? 'unreachable';
  const status = call.response ? `${call.response.status}, ` : '';
  return {
    outcome: 'error',
    errorCode: kind,
    grant,
    summary: call.response
      ? `${status}answer cut off (${kind})`
      : `no answer (${kind === 'timeout' ? 'timeout' : 'unreachable'})`,
  };
}

function tokenVerdict(call: UpstreamExchange): Verdict {
  // A broken or missing answer proves nothing about the credential: it may or may not have arrived.
  if (!call.response || call.failure) return noAnswer(call, 'unknown');
  const res = call.response;
  const parsed = parseTokenResponse(res.status, contentType(call), res.body, 0);
  if (parsed.ok) {
    return {
      outcome: 'ok',
      errorCode: null,
      grant: 'spent',
      summary: `${res.status}: a token pair`,
    };
  }
  if (parsed.kind === 'oauth_error') {
    const grant: GrantEffect =
      parsed.error === 'invalid_grant'
        ? 'rejected'
        : BEFORE_GRANT_CHECK.has(parsed.error) && res.status < 500
          ? 'untouched'
          : 'unknown';
    return {
      outcome: 'error',
      errorCode: parsed.error,
      grant,
      summary: `${res.status} ${parsed.error}`,
    };
  }
  return {
    outcome: 'error',
    errorCode:
      parsed.kind === 'malformed' && res.status >= 300 ? `http_${res.status}` : parsed.kind,
    grant: 'unknown',
    summary: `${res.status}: ${parsed.kind === 'html' ? 'an HTML page' : parsed.kind === 'not_json' ? 'not JSON' : 'not a token answer'}`,
  };
}

function memberVerdict(call: UpstreamExchange): Verdict {
  if (!call.response || call.failure) return noAnswer(call, null);
  const res = call.response;
  const headers = {
    get: (name: string) =>
      res.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null,
  };
  const parsed = parseMemberResponse(res.status, headers, res.body);
  if (parsed.ok)
    return { outcome: 'ok', errorCode: null, grant: null, summary: `${res.status}: the member` };
  if (parsed.kind === 'api_error') {
    const code = parsed.type ?? `http_${res.status}`;
    return { outcome: 'error', errorCode: code, grant: null, summary: `${res.status} ${code}` };
  }
  return {
    outcome: 'error',
    errorCode:
      parsed.kind === 'malformed' && res.status >= 300 ? `http_${res.status}` : parsed.kind,
    grant: null,
    summary: `${res.status}: ${parsed.kind === 'html' ? 'an HTML page' : parsed.kind === 'not_json' ? 'not JSON' : 'not a member record'}`,
  };
}

/** The one verdict on a recorded call. Pure: the same call always gets the same verdict. */
export function classifyCall(kind: CallKind, call: UpstreamExchange): Verdict {
  return kind === 'exchange' || kind === 'refresh' ? tokenVerdict(call) : memberVerdict(call);
}
