import type { TokenCallResult, UpstreamExchange } from '../api/wire.ts';
import type { PendingAuthorization } from '../oauth/callback.ts';
import { isEnvironmentId, type EnvironmentId } from '../oauth/environments.ts';
import type { TokenSet } from '../oauth/tokenResponse.ts';
import type { Diagnosis } from '../triage/types.ts';

/** The shapes kept in IndexedDB, with the tiny checks that narrow what comes back out. */

export const SCHEMA_VERSION = 1;

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
  /** Set once an exchange has been sent with it: PandaDoc codes work once. */
  exchangedAt: number | null;
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
  exchange: TokenCallResult | null;
  verify: UpstreamExchange | null;
  refresh: TokenCallResult | null;
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

export function isProfile(value: unknown): value is Profile {
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

/** Keeps the fields a session record must have, filling the rest, so one odd field loses nothing else. */
export function toSession(value: unknown): ProfileSession | null {
  if (typeof value !== 'object' || value === null) return null;
  return { ...emptySession(), ...(value as Partial<ProfileSession>) };
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
