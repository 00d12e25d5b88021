/**
 * One verdict per call: decided once, right after the answer arrives, and stored with the call.
 * History, triage, the flow status, the diagram, the views, the evidence timeline and the Traffic
 * section all read this; none of them decides on its own whether a call worked.
 */
import type { DebuggerRefusal, RefusalKind } from '../api/traffic.ts';
import type { UpstreamExchange } from '../api/wire.ts';
import { parseMemberResponse } from '../oauth/member.ts';
import { parseTokenResponse } from '../oauth/tokenResponse.ts';

/** What a call was for. `check` is a member call on a token pasted by hand. */
export type CallKind = 'exchange' | 'refresh' | 'verify' | 'check';

/**
 * What the answer proves about the code (exchange) or refresh token (refresh) that was sent.
 * - `spent`: a token pair came back, so the credential is used up (codes are single use, refresh rotates).
 * - `rejected`: a 4xx `invalid_grant`: PandaDoc will not take it (used, expired, unknown or
 *   another client's).
 * - `untouched`: a 4xx error PandaDoc gives before it looks at the credential (it checks the
 *   request and the client first), so the credential is as good as it was.
 * - `unknown`: no answer proves either (no answer, a timeout, a 5xx, an unreadable answer, a
 *   2xx that is not a clean token answer).
 */
export type GrantEffect = 'spent' | 'rejected' | 'untouched' | 'unknown';

export interface Verdict {
  outcome: 'ok' | 'error';
  /**
   * null when the call worked; otherwise the OAuth `error`, the API `type`, or one of
   * `timeout` / `unreachable` / `truncated` / `html` / `not_json` / `malformed` / `http_<status>`,
   * or `debugger_refused` for a call the debugger answered itself (see refusalOf).
   */
  errorCode: string | null;
  /** For exchange and refresh; null for member calls. */
  grant: GrantEffect | null;
  /** One line a person reads: "200: a token pair", "400 invalid_grant", "no answer (timeout)". */
  summary: string;
  /** Why an answer could not be used, in a sentence (the parser's message), when known. */
  detail?: string | null;
}

/** Errors PandaDoc returns before it looks at the code or refresh token (docs/pandadoc-oauth.md §2). */
const BEFORE_GRANT_CHECK: ReadonlySet<string> = new Set([
  'invalid_request',
  'unsupported_grant_type',
  'invalid_client',
]);

const isClientError = (status: number) => status >= 400 && status < 500;

function header(call: UpstreamExchange, name: string): string | null {
  return call.response?.headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
}

function noAnswer(call: UpstreamExchange, grant: GrantEffect | null): Verdict {
  const kind = call.failure?.kind ?? 'unreachable';
  const message = call.failure?.message ?? null;
  if (call.response) {
    return {
      outcome: 'error',
      errorCode: kind,
      grant,
      summary: `${call.response.status}, answer cut off (${kind})`,
      detail: message,
    };
  }
  return {
    outcome: 'error',
    errorCode: kind,
    grant,
    summary: `no answer (${kind})`,
    detail: message,
  };
}

/** The code for an answer the parser could not use: non-2xx bodies are named by their status. */
function unusableCode(kind: 'html' | 'not_json' | 'malformed', call: UpstreamExchange): string {
  const res = call.response!;
  if (kind === 'html') return 'html';
  if (res.truncated) return 'truncated';
  return res.status >= 200 && res.status < 300 ? kind : `http_${res.status}`;
}

const UNUSABLE: Record<'html' | 'not_json' | 'malformed', string> = {
  html: 'an HTML page',
  not_json: 'not JSON',
  malformed: 'not what PandaDoc sends',
};

function tokenVerdict(call: UpstreamExchange): Verdict {
  // A broken or missing answer proves nothing about the credential: it may or may not have arrived.
  if (!call.response || call.failure) return noAnswer(call, 'unknown');
  const res = call.response;
  const parsed = parseTokenResponse(res.status, header(call, 'content-type'), res.body, 0);
  if (parsed.ok) {
    return {
      outcome: 'ok',
      errorCode: null,
      grant: 'spent',
      summary: `${res.status}: a token pair`,
      detail: null,
    };
  }
  if (parsed.kind === 'oauth_error') {
    const grant: GrantEffect = !isClientError(res.status)
      ? 'unknown'
      : parsed.error === 'invalid_grant'
        ? 'rejected'
        : BEFORE_GRANT_CHECK.has(parsed.error)
          ? 'untouched'
          : 'unknown';
    return {
      outcome: 'error',
      errorCode: parsed.error,
      grant,
      summary: `${res.status} ${parsed.error}`,
      detail: parsed.description,
    };
  }
  return {
    outcome: 'error',
    errorCode: unusableCode(parsed.kind, call),
    grant: 'unknown',
    summary: `${res.status}: ${UNUSABLE[parsed.kind]}`,
    detail: parsed.message,
  };
}

function memberVerdict(call: UpstreamExchange): Verdict {
  if (!call.response || call.failure) return noAnswer(call, null);
  const res = call.response;
  const parsed = parseMemberResponse(
    res.status,
    { get: (name) => header(call, name.toLowerCase()) },
    res.body,
  );
  if (parsed.ok) {
    return {
      outcome: 'ok',
      errorCode: null,
      grant: null,
      summary: `${res.status}: the member`,
      detail: null,
    };
  }
  if (parsed.kind === 'api_error') {
    const code = parsed.type ?? `http_${res.status}`;
    return {
      outcome: 'error',
      errorCode: code,
      grant: null,
      summary: `${res.status} ${code}`,
      detail: parsed.detail,
    };
  }
  return {
    outcome: 'error',
    errorCode: unusableCode(parsed.kind, call),
    grant: null,
    summary: `${res.status}: ${UNUSABLE[parsed.kind]}`,
    detail: parsed.message,
  };
}

/**
 * The refusal a captured call carries when the debugger answered it itself (lib/api/traffic.ts
 * `refused`), or null: also what a reader of the capture's JSON or an exported HAR trusts. Such a
 * call never reached PandaDoc: its answer is the debugger's, and proves nothing about a credential.
 */
export function refusalOf(call: UpstreamExchange): DebuggerRefusal | null {
  const refused = (call as { refused?: unknown }).refused;
  if (typeof refused !== 'object' || refused === null) return null;
  const { kind, reason } = refused as Record<string, unknown>;
  // A kind this version does not know (a newer server's) is still the debugger's own answer.
  return typeof kind === 'string' && typeof reason === 'string'
    ? { kind: kind as RefusalKind, reason }
    : null;
}

function refusedVerdict(kind: CallKind, call: UpstreamExchange, refusal: DebuggerRefusal): Verdict {
  return {
    outcome: 'error',
    errorCode: 'debugger_refused',
    // Never sent on: the code or refresh token is exactly as good as it was.
    grant: kind === 'exchange' || kind === 'refresh' ? 'untouched' : null,
    summary: `${call.response?.status ?? 'no answer'}: refused by the debugger, not sent on`,
    detail: refusal.reason,
  };
}

/** The one verdict on a recorded call. Pure: the same call always gets the same verdict. */
export function classifyCall(kind: CallKind, call: UpstreamExchange): Verdict {
  const refusal = refusalOf(call);
  if (refusal) return refusedVerdict(kind, call, refusal);
  return kind === 'exchange' || kind === 'refresh' ? tokenVerdict(call) : memberVerdict(call);
}
