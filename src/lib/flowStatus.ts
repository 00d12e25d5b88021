import type { CallbackResult } from './oauth/callback.ts';
import type { ProfileSession } from './storage/index.ts';

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

const answered = (call: { response: { status: number } | null } | null) =>
  call ? (call.response !== null && call.response.status < 400 ? 'ok' : 'failed') : null;

export function flowMessages(session: Progress, callback: CallbackResult | null): FlowMessage[] {
  const exchange = answered(session.exchange);
  const verify = answered(session.verify);
  const refresh = answered(session.refresh);
  const started = Boolean(session.pending || session.code || session.exchange || session.tokens);
  const redirected =
    callback && !callback.ok ? 'failed' : session.code || session.tokens ? 'ok' : null;
  const base: Array<Omit<FlowMessage, 'status'> & { state: 'ok' | 'failed' | null }> = [
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
      label: '302 redirect_uri?state&code',
      says: 'PandaDoc sends the browser back to the redirect URI with a one-time code.',
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
  return base.map(({ state, ...m }) => {
    let status: MessageStatus = state === 'ok' ? 'done' : state === 'failed' ? 'failed' : 'todo';
    if (status === 'todo' && !current) {
      status = 'current';
      current = true;
    }
    return { ...m, status };
  });
}
