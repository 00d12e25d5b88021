/** What the triage takes in and gives back. */
import type { SecretSource, UpstreamExchange } from '../api/wire.ts';
import type { EnvironmentId } from '../oauth/environments.ts';
import type { Verdict } from '../verdict/classify.ts';
import type { HistoryLike } from './history.ts';
import type { WireContext } from './rules/wire.ts';

export type DiagnosisRule =
  | 'code_reused'
  | 'code_expired'
  | 'refresh_rotated'
  | 'wrong_client'
  | 'invalid_grant_unclear'
  | 'wrong_secret'
  | 'bad_scope_name'
  | 'scope_widened'
  | 'json_body'
  | 'missing_field'
  | 'unsupported_grant_type'
  | 'redirect_uri_changed'
  | 'redirect_uri_mismatch'
  | 'access_denied'
  | 'authorize_error'
  | 'state_mismatch'
  | 'state_empty'
  | 'state_missing'
  | 'no_pending'
  | 'missing_code'
  | 'unreadable_input'
  | 'api_unauthorized'
  | 'api_forbidden'
  | 'rate_limited'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_html'
  | 'upstream_malformed'
  | 'upstream_5xx'
  | 'token_query_string'
  | 'refresh_with_code'
  | 'api_key_on_token_call'
  | 'refresh_race'
  | 'bearer_malformed'
  | 'region_mismatch'
  | 'debugger_refused'
  | 'unknown';

export interface Diagnosis {
  /** Machine id, stable across versions: the UI and reports key on it. */
  rule: DiagnosisRule;
  severity: 'error' | 'warning';
  /** Plain language, one line. */
  title: string;
  /** Why, using what this session knows (times, which attempt). */
  cause: string;
  /** The next step. */
  next: string;
  /** Facts relied on. Fingerprints only: never a raw secret, code or token. */
  evidence: string[];
  /** PandaDoc docs or an RFC 6749 section. */
  docs?: string;
}

export interface CodeContext {
  /** Fingerprint of the code sent in this exchange. */
  fingerprint: string;
  capturedAt: number;
  /** When the authorize request that produced it was started. */
  authorizedAt?: number;
  /** client_id in that authorize request. */
  clientId?: string;
  /** redirect_uri in that authorize request. */
  redirectUri?: string;
}

export interface TriageContext {
  /** Earlier attempts in this profile, oldest first. Entries at or after the call's start are ignored. */
  history: HistoryLike[];
  code?: CodeContext;
  /** Fingerprint of the refresh token this call sent. */
  refreshTokenFingerprint?: string;
  /** Fingerprint of the access token this call sent. */
  accessTokenFingerprint?: string;
  /** When the access token this call sent expires, as the token response said (expires_in). */
  accessTokenExpiresAt?: number;
  profile: { clientId: string; redirectUri: string; environment: EnvironmentId };
  secretSource?: SecretSource;
  /** Calls captured on the wire (Traffic): what they sent and where, for the cross-call rules. */
  wire?: WireContext;
}

export interface TriageInput {
  kind: 'exchange' | 'refresh' | 'verify';
  /** The call and, once recorded, its verdict (classified here when a test hands a bare call). */
  call: UpstreamExchange & { verdict?: Verdict };
  now: number;
  context: TriageContext;
}

export const DOCS = Object.freeze({
  accessToken: 'https://developers.pandadoc.com/reference/access-token',
  authentication: 'https://developers.pandadoc.com/reference/authentication-process',
  refresh: 'https://developers.pandadoc.com/reference/refresh-access-token',
  currentMember: 'https://developers.pandadoc.com/reference/detailscurrentmember',
  rateLimits: 'https://developers.pandadoc.com/reference/limits',
  tokenErrors: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
  authorizeErrors: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1',
  state: 'https://www.rfc-editor.org/rfc/rfc6749#section-10.12',
  redirectUri: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2',
  refreshing: 'https://www.rfc-editor.org/rfc/rfc6749#section-6',
  codeGrant: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3',
  formBody: 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B',
  bearer: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1',
  retryAfter: 'https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3',
});
