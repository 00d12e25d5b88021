import type { TokenCallResult } from './api/wire.ts';
import { processTokenCall } from './grants.ts';
import type { TokenSet } from './oauth/tokenResponse.ts';
import type { ProfileSession } from './storage/index.ts';
import type { Lock } from './tabs.ts';
import type { Judged } from './verdict/judge.ts';

/**
 * PandaDoc rotates refresh tokens: the old one dies the moment it is used, so two tabs refreshing
 * with the same token means one gets invalid_grant. Every refresh therefore runs under one lock
 * per profile, and re-reads the stored session first: if another tab already replaced the token
 * this tab was about to send, it takes that new pair instead of calling PandaDoc again.
 */

export interface RefreshDeps {
  lock: Lock;
  loadSession(profileId: string): Promise<ProfileSession>;
  saveSession(profileId: string, session: ProfileSession): Promise<void>;
  /** Sends the refresh and judges the answer (grants.ts refreshTokenRequest). */
  send(refreshToken: string): Promise<Judged<TokenCallResult>>;
}

export type RefreshOutcome =
  /** This tab refreshed. `saved` is false when storing the new pair failed: show it, don't lose it. */
  | { kind: 'refreshed'; session: ProfileSession; saved: boolean; saveError: string | null }
  /** Another tab had already refreshed: its stored pair was adopted, nothing was sent. */
  | { kind: 'adopted'; session: ProfileSession }
  /** PandaDoc (or the network) said no; the call is recorded in the session. */
  | { kind: 'failed'; session: ProfileSession; saved: boolean };

function refreshLockName(profileId: string): string {
  return `pandadoc-oauth-debugger:refresh:${profileId}`;
}

export async function coordinatedRefresh(
  profileId: string,
  refreshToken: string,
  deps: RefreshDeps,
  /** This tab's session: what to build on when storage never got the tokens (a failed write). */
  inMemory?: ProfileSession,
): Promise<RefreshOutcome> {
  return deps.lock(refreshLockName(profileId), async () => {
    const saved = await deps.loadSession(profileId);
    const current = saved.tokens?.refreshToken;
    if (current && current !== refreshToken) return { kind: 'adopted', session: saved };
    const stored = current === refreshToken || !inMemory ? saved : inMemory;

    const call = await deps.send(refreshToken);
    const fresh: TokenSet | null = processTokenCall(call);
    const previous = stored.tokens;
    const session: ProfileSession =
      fresh && previous
        ? {
            ...stored,
            refresh: call,
            tokens: fresh,
            verify: null,
            rotation: {
              at: call.startedAt,
              previous,
              oldAccessStatus: null,
              oldRefreshError: null,
            },
          }
        : { ...stored, refresh: call };
    let saveError: string | null = null;
    try {
      // The new pair is written before anything else happens: the old one is already dead.
      await deps.saveSession(profileId, session);
    } catch (error) {
      saveError = error instanceof Error ? error.message : String(error);
    }
    if (!fresh) return { kind: 'failed', session, saved: saveError === null };
    return { kind: 'refreshed', session, saved: saveError === null, saveError };
  });
}

/** When to refresh automatically: 5 minutes before expiry, or sooner for very short lifetimes. */
export function autoRefreshDelay(tokens: TokenSet, now: number): number | null {
  if (!tokens.expiresAt || !tokens.refreshToken) return null;
  const lifetime = tokens.expiresAt - tokens.receivedAt;
  const lead = Math.min(5 * 60_000, Math.max(lifetime * 0.2, 0));
  return Math.max(0, tokens.expiresAt - lead - now);
}
