import type { UpstreamExchange } from './api/wire.ts';
import { fingerprint } from './fingerprint.ts';
import type { Profile, ProfileSession } from './storage/index.ts';
import {
  callFingerprints,
  type Diagnosis,
  type HistoryEntry,
  type TriageContext,
  triageAll,
} from './triage/index.ts';
import type { Judged } from './verdict/judge.ts';

/**
 * Builds the triage's view of this session (fingerprints, when the code was captured, what the
 * authorize request said, the history so far) and runs it over one call.
 */
export async function diagnoseCall(
  kind: 'exchange' | 'refresh' | 'verify',
  call: Judged<UpstreamExchange & { secretSource?: TriageContext['secretSource'] }>,
  session: ProfileSession,
  profile: Profile,
  /** Newest first, as the app keeps it. */
  history: readonly HistoryEntry[],
): Promise<Diagnosis[]> {
  const sent = await callFingerprints(call);
  const code = session.code;
  const context: TriageContext = {
    history: [...history].reverse(),
    profile: {
      clientId: profile.clientId,
      redirectUri: profile.redirectUri,
      environment: profile.environment,
    },
    secretSource: call.secretSource,
    refreshTokenFingerprint: sent.refreshToken,
    accessTokenFingerprint: sent.accessToken,
  };
  const tokens = session.tokens;
  if (
    kind === 'verify' &&
    tokens?.expiresAt &&
    (await fingerprint(tokens.accessToken)) === sent.accessToken
  ) {
    context.accessTokenExpiresAt = tokens.expiresAt;
  }
  if (kind === 'exchange' && code) {
    context.code = {
      fingerprint: await fingerprint(code.value),
      capturedAt: code.capturedAt,
      authorizedAt: code.authorize?.at,
      clientId: code.authorize?.clientId,
      redirectUri: code.authorize?.redirectUri,
    };
  }
  return triageAll({ kind, call, now: call.startedAt + call.durationMs, context });
}
