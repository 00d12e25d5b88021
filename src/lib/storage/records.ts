import type { TokenCallResult, UpstreamExchange } from '../api/wire.ts';
import type { PendingAuthorization } from '../oauth/callback.ts';
import { isEnvironmentId, type EnvironmentId } from '../oauth/environments.ts';
import type { TokenSet } from '../oauth/tokenResponse.ts';
import type { Diagnosis } from '../triage/types.ts';
import type { Judged } from '../verdict/judge.ts';
import type { CallKind } from '../verdict/classify.ts';

/** The shapes kept in IndexedDB, with the tiny checks that narrow what comes back out. */

/**
 * 2: calls carry their verdict, history entries `grant` and `verification`, and a code's
 * `exchangedAt` means an answer proved it spent. Version-1 records are migrated when read.
 */
export const SCHEMA_VERSION = 2;

export interface Profile {
  id: string;
  name: string;
  environment: EnvironmentId;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** The user asked to keep this profile's typed client secret (sealed) on this device. */
  rememberSecret: boolean;
  /** Refresh by itself shortly before the access token expires. Off unless asked. */
  autoRefresh: boolean;
  createdAt: number;
}

export interface CapturedCode {
  value: string;
  state: string | null;
  capturedAt: number;
  source: 'callback' | 'paste';
  /**
   * When an answer proved the code spent: a token pair came back for it. Never set by a call
   * that got no answer, a 5xx, or an error PandaDoc gives before it reads the code.
   */
  exchangedAt: number | null;
  /** When PandaDoc answered invalid_grant for it (and no exchange of it had worked here). */
  refusedAt?: number | null;
  /** The authorize request this code answers, when its state matched. */
  authorize?: { at: number; clientId: string; redirectUri: string };
}

export interface Rotation {
  at: number;
  previous: TokenSet;
  /** Outcome of trying the previous pair after the refresh. */
  oldAccessStatus: number | null;
  oldRefreshError: string | null;
}

/** Everything one profile's walk through the flow has produced. Stored sealed. */
export interface ProfileSession {
  pending: PendingAuthorization | null;
  code: CapturedCode | null;
  tokens: TokenSet | null;
  /** The last call of each kind, with its verdict (verdict/classify.ts). */
  exchange: Judged<TokenCallResult> | null;
  verify: Judged<UpstreamExchange> | null;
  refresh: Judged<TokenCallResult> | null;
  rotation: Rotation | null;
  /** What the triage said of the last call of each kind. */
  triage: Partial<Record<'exchange' | 'refresh' | 'verify', Diagnosis[]>>;
}

export function emptySession(): ProfileSession {
  return {
    pending: null,
    code: null,
    tokens: null,
    exchange: null,
    verify: null,
    refresh: null,
    rotation: null,
    triage: {},
  };
}

const str = (v: unknown): v is string => typeof v === 'string';

/** Reads a stored profile, filling fields added since it was written (autoRefresh: v1 → off). */
export function toProfile(value: unknown): Profile | null {
  if (typeof value !== 'object' || value === null) return null;
  const p = { autoRefresh: false, ...(value as Partial<Profile>) };
  return isProfile(p) ? p : null;
}

function isProfile(value: unknown): value is Profile {
  const p = value as Profile | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    str(p.id) &&
    str(p.name) &&
    isEnvironmentId(p.environment) &&
    str(p.clientId) &&
    str(p.redirectUri) &&
    str(p.scope) &&
    typeof p.rememberSecret === 'boolean' &&
    typeof p.autoRefresh === 'boolean' &&
    typeof p.createdAt === 'number'
  );
}

/** `judge` from verdict/judge.ts, passed in so the first load need not carry the classifier. */
export type JudgeCall = <T extends UpstreamExchange>(kind: CallKind, call: T) => Judged<T>;

const CALLS = ['exchange', 'verify', 'refresh'] as const;

/** True when a stored session has a call from before calls carried their verdict (schema 1). */
export function needsJudging(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return CALLS.some((k) => typeof s[k] === 'object' && s[k] !== null && !('verdict' in s[k]));
}

/** A stored call, judged if it was stored before calls carried their verdict (schema 1). */
function withVerdict<T extends UpstreamExchange>(
  kind: CallKind,
  call: T | null,
  judge: JudgeCall | null,
): Judged<T> | null {
  if (typeof call !== 'object' || call === null) return null;
  if ('verdict' in call) return call as Judged<T>;
  // Without the classifier an unjudged call is dropped rather than shown with no verdict.
  return judge ? judge(kind, call) : null;
}

/**
 * Keeps the fields a session record must have, filling the rest, so one odd field loses nothing
 * else. Migrates schema 1: calls get their verdict, and a code's `exchangedAt` (then set by any
 * send) is kept only when the exchange's answer proves the code spent or refused.
 */
export function toSession(value: unknown, judge: JudgeCall | null): ProfileSession | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = { ...emptySession(), ...(value as Partial<ProfileSession>) };
  const unjudged = s.exchange !== null && !('verdict' in s.exchange);
  const session: ProfileSession = {
    ...s,
    exchange: withVerdict('exchange', s.exchange, judge),
    verify: withVerdict('verify', s.verify, judge),
    refresh: withVerdict('refresh', s.refresh, judge),
  };
  if (unjudged && session.code?.exchangedAt) {
    const grant = session.exchange?.verdict.grant;
    if (grant !== 'spent' && !(grant === 'rejected' && session.tokens)) {
      session.code = { ...session.code, exchangedAt: null };
    }
  }
  return session;
}

export interface Versioned<T> {
  v: number;
  data: T;
}

export function isVersioned(value: unknown): value is Versioned<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Versioned<unknown>).v === 'number' &&
    'data' in value
  );
}
