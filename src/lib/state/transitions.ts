/**
 * What an answer does to the session, decided in one place and without side effects: the flow
 * (flow.svelte.ts) applies these, and they are tested on their own (transitions.test.ts).
 */
import type { TokenCallResult } from '../api/wire.ts';
import type { CallbackResult } from '../oauth/callback.ts';
import type { CapturedCode, ProfileSession } from '../storage/index.ts';
import type { Judged } from '../verdict/judge.ts';

export interface CallbackOutcome {
  /** What to change in the session (null: nothing). */
  patch: Partial<ProfileSession> | null;
  /** The History line. */
  event: { outcome: 'ok' | 'error'; errorCode: string | null; note: string };
}

/**
 * Step 3: a redirect (or a pasted one) came back. A code is captured with what the triage needs
 * later; an error from authorize (Deny) ends the authorization whose state it echoes, so step 2
 * stops waiting. A state is good for one answer.
 */
export function afterCallback(
  session: Pick<ProfileSession, 'pending'>,
  result: CallbackResult,
  source: 'callback' | 'paste',
  now: number,
): CallbackOutcome {
  const via = source === 'callback' ? 'redirect to /callback' : 'pasted';
  const pending = session.pending;
  if (!result.ok) {
    const answered =
      pending !== null && result.state !== undefined && result.state === pending.state;
    return {
      patch: answered ? { pending: null } : null,
      event: { outcome: 'error', errorCode: result.code, note: `${via}: ${result.message}` },
    };
  }
  const matched = result.stateCheck === 'matched' ? pending : null;
  const code: CapturedCode = {
    value: result.code,
    state: result.state,
    capturedAt: now,
    source,
    exchangedAt: null,
    // What the triage needs to tell "too old" and "another app's code" apart later.
    ...(matched
      ? {
          authorize: {
            at: matched.createdAt,
            clientId: matched.clientId,
            redirectUri: matched.redirectUri,
          },
        }
      : {}),
  };
  return {
    patch: { code, pending: matched ? null : pending },
    event: {
      outcome: 'ok',
      errorCode: null,
      note: `code captured (${via}, state ${matched ? 'matched' : 'not checked'})`,
    },
  };
}

/**
 * Step 4: only an answer moves the code's state. A token pair proves it spent (the first such
 * answer keeps its time); invalid_grant that PandaDoc refuses it. No answer, a 5xx, or an error
 * PandaDoc gives before it reads the code (invalid_client) leaves the code as it was.
 */
export function codeAfterExchange(
  code: CapturedCode | null,
  call: Judged<TokenCallResult>,
): CapturedCode | null {
  if (!code) return null;
  const grant = call.verdict.grant;
  return {
    ...code,
    exchangedAt: code.exchangedAt ?? (grant === 'spent' ? call.startedAt : null),
    refusedAt: grant === 'rejected' ? (code.refusedAt ?? call.startedAt) : (code.refusedAt ?? null),
  };
}
