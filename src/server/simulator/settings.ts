import { ACCESS_TOKEN_EXPIRES_IN } from '../../lib/oauth/pandadoc.ts';
import type { ScopeStyle } from './scope.ts';

/** What the token endpoint and members/current answer instead of the real thing. */
export const FAULTS = [
  'none',
  'server_error',
  'html',
  'malformed_json',
  'truncated_json',
  'reset',
  'rate_limited',
] as const;
export type Fault = (typeof FAULTS)[number];

export const FAULT_TARGETS = ['token', 'members', 'both'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** Upper bound for `latencyMs`: two minutes is slower than any timeout worth drilling. */
export const MAX_LATENCY_MS = 120_000;

/** Knobs for behaviour the facts leave open (U) or that differ between PandaDoc's docs and spec. */
export interface SimulatorSettingsValues {
  /** Status for a missing/invalid token on /public/v1/members/current: 401 live, 403 per the spec. */
  membersAuthErrorStatus: 401 | 403;
  /** The live example says `email_verified`; the SDK models say `emails_verified`. */
  emailVerifiedField: 'email_verified' | 'emails_verified';
  /** `pandadoc` → "read write read+write" (seen live); `spec` → "read+write" (the spec's example). */
  scopeStyle: ScopeStyle;
  /** Delay before the token endpoint or members/current answers (0…MAX_LATENCY_MS). */
  latencyMs: number;
  /** A failure drill: what the token endpoint / members/current answer instead. */
  fault: Fault;
  /** Which endpoint(s) the fault applies to. */
  faultTarget: FaultTarget;
  /** The fault hits the next matching call only, then `fault` goes back to 'none'. */
  faultOnce: boolean;
  /** expires_in of new access tokens. PandaDoc's is a year; a short one lets expiry be watched. */
  accessTokenLifetimeSeconds: number;
}

export const DEFAULT_SETTINGS: Readonly<SimulatorSettingsValues> = Object.freeze({
  membersAuthErrorStatus: 401,
  emailVerifiedField: 'email_verified',
  scopeStyle: 'pandadoc',
  latencyMs: 0,
  fault: 'none',
  faultTarget: 'both',
  faultOnce: false,
  accessTokenLifetimeSeconds: ACCESS_TOKEN_EXPIRES_IN,
});

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof SimulatorSettingsValues)[];

export interface SimulatorSettings extends SimulatorSettingsValues {
  /** Restore every setting to its default. */
  reset(): void;
}

export function createSettings(initial: Partial<SimulatorSettingsValues> = {}): SimulatorSettings {
  const settings: SimulatorSettings = {
    ...DEFAULT_SETTINGS,
    ...initial,
    reset() {
      Object.assign(settings, DEFAULT_SETTINGS);
    },
  };
  return settings;
}

/** The plain values of a settings object (no methods), e.g. to send as JSON. */
export function settingsValues(settings: SimulatorSettingsValues): SimulatorSettingsValues {
  return Object.fromEntries(
    SETTING_KEYS.map((key) => [key, settings[key]]),
  ) as unknown as SimulatorSettingsValues;
}

const oneOf = (allowed: readonly (string | number)[]) => allowed.map((v) => String(v)).join(', ');

type Check = (value: unknown) => string | undefined;
const enumCheck =
  (allowed: readonly (string | number)[]): Check =>
  (value) =>
    allowed.includes(value as string | number) ? undefined : `must be one of ${oneOf(allowed)}`;

const CHECKS: Record<keyof SimulatorSettingsValues, Check> = {
  membersAuthErrorStatus: enumCheck([401, 403]),
  emailVerifiedField: enumCheck(['email_verified', 'emails_verified']),
  scopeStyle: enumCheck(['pandadoc', 'spec']),
  latencyMs: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_LATENCY_MS
      ? undefined
      : `must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}`,
  fault: enumCheck(FAULTS),
  faultTarget: enumCheck(FAULT_TARGETS),
  faultOnce: (value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
  accessTokenLifetimeSeconds: (value) =>
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= ACCESS_TOKEN_EXPIRES_IN
      ? undefined
      : `must be a whole number of seconds from 1 to ${ACCESS_TOKEN_EXPIRES_IN}`,
};

export type SettingsPatchResult =
  { ok: true; patch: Partial<SimulatorSettingsValues> } | { ok: false; message: string };

/** Validates a partial update (e.g. a JSON body): known keys only, each with an allowed value. */
export function parseSettingsPatch(input: unknown): SettingsPatchResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, message: 'Expected a JSON object of settings to change.' };
  }
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(CHECKS, key)) {
      return {
        ok: false,
        message: `Unknown setting ${JSON.stringify(key)}; known settings: ${SETTING_KEYS.join(', ')}.`,
      };
    }
    const problem = CHECKS[key as keyof SimulatorSettingsValues](value);
    if (problem) {
      return { ok: false, message: `${key} ${problem}; got ${JSON.stringify(value)}.` };
    }
    patch[key] = value;
  }
  return { ok: true, patch: patch as Partial<SimulatorSettingsValues> };
}
