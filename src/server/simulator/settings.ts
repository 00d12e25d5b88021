import type { ScopeStyle } from './scope.ts';

/** Knobs for behaviour the facts leave open (U) or that differ between PandaDoc's docs and spec. */
export interface SimulatorSettingsValues {
  /** Status for a missing/invalid token on /public/v1/members/current: 401 live, 403 per the spec. */
  membersAuthErrorStatus: 401 | 403;
  /** The live example says `email_verified`; the SDK models say `emails_verified`. */
  emailVerifiedField: 'email_verified' | 'emails_verified';
  /** `pandadoc` → "read write read+write" (seen live); `spec` → "read+write" (the spec's example). */
  scopeStyle: ScopeStyle;
}

export const DEFAULT_SETTINGS: Readonly<SimulatorSettingsValues> = Object.freeze({
  membersAuthErrorStatus: 401,
  emailVerifiedField: 'email_verified',
  scopeStyle: 'pandadoc',
});

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
