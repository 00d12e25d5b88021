import type { CallbackResult } from './oauth/callback.ts';
import type { ProfileSession } from './storage/index.ts';
import type { Verdict } from './verdict/classify.ts';

/** The messages of PandaDoc's authorization-code flow, and which have travelled so far. */

export type Actor = 'browser' | 'server' | 'authorize' | 'token' | 'api';
export type MessageStatus = 'done' | 'current' | 'failed' | 'todo';

export interface FlowMessage {
  id: string;
  from: Actor;
  to: Actor;
  /** Relayed by: the local server forwards what the browser cannot send itself. */
  via?: Actor;
  label: string;
  /** One sentence for a screen reader and the legend. */
  says: string;
  status: MessageStatus;
}

export const ACTORS: ReadonlyArray<{ id: Actor; label: string }> = [
  { id: 'browser', label: 'Browser' },
  { id: 'server', label: 'Local server' },
  { id: 'authorize', label: 'PandaDoc authorize' },
  { id: 'token', label: 'Token endpoint' },
  { id: 'api', label: 'PandaDoc API' },
];

type Progress = Pick<
  ProfileSession,
  'pending' | 'code' | 'exchange' | 'tokens' | 'verify' | 'refresh' | 'rotation'
>;

/** How a recorded call went, by its stored verdict. */
const answered = (call: { verdict: Verdict } | null) =>
  call ? (call.verdict.outcome === 'ok' ? 'ok' : 'failed') : null;

export function flowMessages(session: Progress, callback: CallbackResult | null): FlowMessage[] {
  const exchange = answered(session.exchange);
  const verify = answered(session.verify);
  const refresh = answered(session.refresh);
  const started = Boolean(
    session.pending || session.code || session.exchange || session.tokens || callback,
  );
  const refusedAtConsent = callback !== null && !callback.ok && !session.code;
  const redirected =
    callback && !callback.ok ? 'failed' : session.code || session.tokens ? 'ok' : null;
  // A message can be next only when what it carries exists: no code, no exchange to post.
  const canExchange = Boolean(session.code);
  const canUseTokens = Boolean(session.tokens);
  const base: Array<
    Omit<FlowMessage, 'status'> & { state: 'ok' | 'failed' | null; ready?: boolean }
  > = [
    {
      id: 'authorize',
      from: 'browser',
      to: 'authorize',
      label: 'GET /oauth2/authorize',
      says: 'The browser opens PandaDoc’s consent screen with client_id, redirect_uri, scope and state.',
      state: started ? 'ok' : null,
    },
    {
      id: 'redirect',
      from: 'authorize',
      to: 'browser',
      label: refusedAtConsent ? '302 redirect_uri?state&error' : '302 redirect_uri?state&code',
      says: refusedAtConsent
        ? callback.code === 'access_denied'
          ? 'PandaDoc sent the browser back with error=access_denied: the user denied access, so no code was issued.'
          : 'The redirect back carried no usable code (see step 3), so there is nothing to exchange.'
        : 'PandaDoc sends the browser back to the redirect URI with a one-time code.',
      state: redirected,
    },
    {
      id: 'exchange',
      from: 'browser',
      via: 'server',
      to: 'token',
      label: 'POST /oauth2/access_token (code)',
      says: 'The local server posts the code and client secret to the token endpoint.',
      state: session.exchange ? 'ok' : null,
      ready: canExchange,
    },
    {
      id: 'tokens',
      from: 'token',
      via: 'server',
      to: 'browser',
      label: 'access_token + refresh_token',
      says: 'The token endpoint answers with an access token and a refresh token.',
      state: exchange === 'failed' && !session.tokens ? 'failed' : session.tokens ? 'ok' : null,
    },
    {
      id: 'call',
      from: 'browser',
      via: 'server',
      to: 'api',
      label: 'GET /members/current (Bearer)',
      says: 'The access token is used on the API.',
      state: session.verify ? 'ok' : null,
      ready: canUseTokens,
    },
    {
      id: 'member',
      from: 'api',
      via: 'server',
      to: 'browser',
      label: 'the user and workspace',
      says: 'The API answers with whose token it is.',
      state: verify,
    },
    {
      id: 'refresh',
      from: 'browser',
      via: 'server',
      to: 'token',
      label: 'POST /oauth2/access_token (refresh)',
      says: 'The refresh token is traded for a new pair.',
      state: session.refresh ? 'ok' : null,
      ready: canUseTokens,
    },
    {
      id: 'rotated',
      from: 'token',
      via: 'server',
      to: 'browser',
      label: 'new pair; the old one dies',
      says: 'A new access and refresh token; the old pair stops working at once.',
      state: session.rotation ? 'ok' : refresh === 'failed' ? 'failed' : null,
    },
  ];
  let current = false;
  return base.map(({ state, ready = true, ...m }) => {
    let status: MessageStatus = state === 'ok' ? 'done' : state === 'failed' ? 'failed' : 'todo';
    if (status === 'todo' && !current) {
      // Nothing is "next" past a step that cannot happen yet: no message claims a missing code.
      if (!ready) {
        current = true;
        return { ...m, status };
      }
      status = 'current';
      current = true;
    }
    return { ...m, status };
  });
}
