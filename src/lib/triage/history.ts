/**
 * One line of a profile's history: what was tried, when, and how it went. Secrets appear only as
 * fingerprints, so these records can be stored unsealed and quoted in a support report.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import type { GrantEffect } from '../verdict/classify.ts';
import type { Judged } from '../verdict/judge.ts';

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
  /** From the call's verdict (verdict/classify.ts); for steps that are not calls, as they went. */
  outcome: 'ok' | 'error';
  status: number | null;
  /** OAuth `error`, API `type`, or `timeout` / `unreachable` / `html` / `not_json`. */
  errorCode: string | null;
  /** What the answer proved about the code or refresh token sent; null for other entries. */
  grant: GrantEffect | null;
  /**
   * The app's own check that something no longer works (the pair a refresh replaced): an error
   * answer is the expected, good result, so it is shown as a verification, not as a failure.
   */
  verification: boolean;
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
const GRANT_EFFECTS: readonly unknown[] = ['spent', 'rejected', 'untouched', 'unknown', null];
const nullableNumber = (v: unknown) => v === null || typeof v === 'number';
const nullableString = (v: unknown) => v === null || typeof v === 'string';

/** The note schema-1 entries carried for the old-pair checks, before `verification` existed. */
const OLD_PAIR_NOTE = 'trying the pair a refresh replaced';

/**
 * Reads an entry stored by any schema version: version 1 had no `grant` nor `verification`, so
 * they are filled from what it did keep. Returns null for a record that is not an entry.
 */
export function toHistoryEntry(value: unknown): HistoryEntry | null {
  if (!isRecord(value)) return null;
  const tokenCall = value.kind === 'exchange' || value.kind === 'refresh';
  const grant: GrantEffect | null = !tokenCall
    ? null
    : value.outcome === 'ok'
      ? 'spent'
      : value.errorCode === 'invalid_grant' && value.status === 400
        ? 'rejected'
        : 'unknown';
  const entry = {
    grant,
    verification: value.note === OLD_PAIR_NOTE,
    ...value,
  };
  return isHistoryEntry(entry) ? entry : null;
}

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
    GRANT_EFFECTS.includes(value.grant) &&
    typeof value.verification === 'boolean' &&
    nullableNumber(value.durationMs) &&
    nullableString(value.clientId) &&
    isRecord(value.fingerprints) &&
    Object.values(value.fingerprints).every((v) => typeof v === 'string') &&
    typeof value.note === 'string'
  );
}

/** How an entry reads in History and the report. */
export type EntryReading = 'ok' | 'failed' | 'confirmed dead' | 'still works' | 'no clear answer';

/**
 * A verification is the app proving that a replaced token died: a refusal is the good result
 * ("confirmed dead"), a success is the surprise ("still works"). Anything else reads as it went.
 */
export function readEntry(
  entry: Pick<HistoryEntry, 'outcome' | 'verification' | 'errorCode' | 'status'>,
): EntryReading {
  if (!entry.verification) return entry.outcome === 'ok' ? 'ok' : 'failed';
  if (entry.outcome === 'ok') return 'still works';
  const refused =
    entry.errorCode === 'invalid_grant' || entry.status === 401 || entry.status === 403;
  return refused ? 'confirmed dead' : 'no clear answer';
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

/** A history entry for a recorded exchange, refresh, verify or check call. */
export async function historyEntryFromCall(
  kind: Extract<HistoryKind, 'exchange' | 'refresh' | 'verify' | 'check'>,
  call: Judged,
  meta: { id: string; profileId: string; note?: string; verification?: boolean },
): Promise<HistoryEntry> {
  const { verdict } = call;
  return {
    id: meta.id,
    profileId: meta.profileId,
    at: call.startedAt,
    kind,
    outcome: verdict.outcome,
    status: call.response?.status ?? null,
    errorCode: verdict.errorCode,
    grant: verdict.grant,
    verification: meta.verification ?? false,
    durationMs: call.durationMs,
    clientId: callSecrets(call).clientId ?? null,
    fingerprints: await callFingerprints(call),
    note: meta.note ?? '',
  };
}
