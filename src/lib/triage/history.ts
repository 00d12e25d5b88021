/**
 * One line of a profile's history: what was tried, when, and how it went. Secrets appear only as
 * fingerprints, so these records can be stored unsealed and quoted in a support report.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';

export type HistoryKind = 'authorize' | 'callback' | 'exchange' | 'refresh' | 'verify' | 'check';

export interface HistoryFingerprints {
  /** The authorization code sent (exchange) or received (callback). */
  code?: string;
  /** The refresh token sent. */
  refreshToken?: string;
  /** The access token sent (verify, check). */
  accessToken?: string;
  /** The refresh token that came back. */
  newRefreshToken?: string;
  /** The access token that came back. */
  newAccessToken?: string;
}

export interface HistoryEntry {
  id: string;
  profileId: string;
  at: number;
  kind: HistoryKind;
  outcome: 'ok' | 'error';
  status: number | null;
  /** OAuth `error`, API `type`, or `timeout` / `unreachable` / `html` / `not_json`. */
  errorCode: string | null;
  durationMs: number | null;
  clientId: string | null;
  fingerprints: HistoryFingerprints;
  note: string;
}

/** What the triage needs of an entry; a full HistoryEntry fits. */
export type HistoryLike = Pick<
  HistoryEntry,
  'at' | 'kind' | 'outcome' | 'status' | 'errorCode' | 'fingerprints'
> & { clientId?: string | null };

const KINDS: readonly string[] = [
  'authorize',
  'callback',
  'exchange',
  'refresh',
  'verify',
  'check',
];
const nullableNumber = (v: unknown) => v === null || typeof v === 'number';
const nullableString = (v: unknown) => v === null || typeof v === 'string';

/** Narrows a record read back from IndexedDB. */
export function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (!isRecord(value)) return false;
  return (
    typeof value.id === 'string' &&
    typeof value.profileId === 'string' &&
    typeof value.at === 'number' &&
    typeof value.kind === 'string' &&
    KINDS.includes(value.kind) &&
    (value.outcome === 'ok' || value.outcome === 'error') &&
    nullableNumber(value.status) &&
    nullableString(value.errorCode) &&
    nullableNumber(value.durationMs) &&
    nullableString(value.clientId) &&
    isRecord(value.fingerprints) &&
    Object.values(value.fingerprints).every((v) => typeof v === 'string') &&
    typeof value.note === 'string'
  );
}

/** The raw secrets a recorded call carries: in the form it sent, its Bearer header, and its answer. */
export interface CallSecrets {
  clientId?: string;
  code?: string;
  refreshToken?: string;
  accessToken?: string;
  newAccessToken?: string;
  newRefreshToken?: string;
}

export function callSecrets(call: UpstreamExchange): CallSecrets {
  const out: CallSecrets = {};
  const { request, response } = call;
  if (request.body) {
    const form = new URLSearchParams(request.body);
    const set = (key: keyof CallSecrets, name: string) => {
      const v = form.get(name);
      if (v) out[key] = v;
    };
    set('clientId', 'client_id');
    set('code', 'code');
    set('refreshToken', 'refresh_token');
  }
  const auth = request.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const bearer = auth ? /^Bearer\s+(\S+)/i.exec(auth)?.[1] : undefined;
  if (bearer) out.accessToken = bearer;
  if (response && response.status >= 200 && response.status < 300) {
    const parsed = tryParseJson(response.body);
    if (parsed.ok && isRecord(parsed.value)) {
      const { access_token, refresh_token } = parsed.value;
      if (typeof access_token === 'string' && access_token) out.newAccessToken = access_token;
      if (typeof refresh_token === 'string' && refresh_token) out.newRefreshToken = refresh_token;
    }
  }
  return out;
}

/** Fingerprints of everything secret in a call, keyed like HistoryFingerprints. */
export async function callFingerprints(call: UpstreamExchange): Promise<HistoryFingerprints> {
  const { clientId: _clientId, ...secrets } = callSecrets(call);
  const entries = await Promise.all(
    Object.entries(secrets).map(async ([k, v]) => [k, await fingerprint(v)] as const),
  );
  return Object.fromEntries(entries) as HistoryFingerprints;
}

/** What went wrong in one short code, or null when the call worked. */
export function callErrorCode(call: UpstreamExchange): string | null {
  if (call.failure) return call.failure.kind;
  const res = call.response;
  if (!res) return 'unreachable';
  const parsed = tryParseJson(res.body);
  if (res.status >= 200 && res.status < 300) {
    if (!parsed.ok) return /^\s*</.test(res.body) ? 'html' : 'not_json';
    if (!isRecord(parsed.value)) return 'malformed';
    if (typeof parsed.value.error === 'string') return parsed.value.error;
    // A token call must answer an access_token; the member call anything else.
    const tokenCall = new URLSearchParams(call.request.body ?? '').has('grant_type');
    return tokenCall && typeof parsed.value.access_token !== 'string' ? 'malformed' : null;
  }
  if (/^\s*</.test(res.body)) return 'html';
  if (!parsed.ok || !isRecord(parsed.value)) return `http_${res.status}`;
  const { error, type } = parsed.value;
  if (typeof error === 'string') return error;
  if (typeof type === 'string') return type;
  return `http_${res.status}`;
}

/** A history entry for a recorded exchange, refresh, verify or check call. */
export async function historyEntryFromCall(
  kind: Extract<HistoryKind, 'exchange' | 'refresh' | 'verify' | 'check'>,
  call: UpstreamExchange,
  meta: { id: string; profileId: string; note?: string },
): Promise<HistoryEntry> {
  const errorCode = callErrorCode(call);
  return {
    id: meta.id,
    profileId: meta.profileId,
    at: call.startedAt,
    kind,
    outcome: errorCode === null ? 'ok' : 'error',
    status: call.response?.status ?? null,
    errorCode,
    durationMs: call.durationMs,
    clientId: callSecrets(call).clientId ?? null,
    fingerprints: await callFingerprints(call),
    note: meta.note ?? '',
  };
}
