/**
 * Each call to PandaDoc as a send + process pair, as oauth4webapi does: `…Request` builds the
 * form, sends it through the local server and judges the answer once (verdict/classify.ts);
 * `processTokenCall` reads the token pair out of a call whose verdict says it worked. Steps,
 * the refresh lock and the drills call these; none of them builds a form of its own.
 */
import { getCurrentMember, postToken } from './api/client.ts';
import type { TokenCallResult, UpstreamExchange } from './api/wire.ts';
import type { EnvironmentId } from './oauth/environments.ts';
import { buildTokenForm, type FormFields } from './oauth/tokenRequest.ts';
import { parseTokenResponse, type TokenSet } from './oauth/tokenResponse.ts';
import { judge, type Judged } from './verdict/judge.ts';

/** Who is asking: the profile's client, with the secret typed in this tab ('' = server-held). */
export interface ClientCredentials {
  environment: EnvironmentId;
  clientId: string;
  clientSecret: string;
}

/** How the token request is encoded: 'json' only for the JSON-body failure drill. */
export type TokenFormat = 'form' | 'json';

/**
 * Trades a code for tokens.
 * @see RFC 6749 §4.1.3
 * @see https://developers.pandadoc.com/reference/access-token
 */
export async function exchangeCodeRequest(
  client: ClientCredentials,
  code: string,
  // RFC 6749 §4.1.3: required when the authorize request carried one. PandaDoc ignores it;
  // like a real client, send the configured one, so the triage can spot a change.
  opts: { redirectUri?: string; format?: TokenFormat } = {},
): Promise<Judged<TokenCallResult>> {
  const form = buildTokenForm({
    grantType: 'authorization_code',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    code,
    redirectUri: opts.redirectUri,
  });
  return judge('exchange', await postToken(client.environment, form, opts.format));
}

/** The refresh form: the one place it is built. @see RFC 6749 §6 */
function refreshTokenForm(client: ClientCredentials, refreshToken: string): FormFields {
  return buildTokenForm({
    grantType: 'refresh_token',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken,
  });
}

/**
 * Trades a refresh token for a new pair; PandaDoc rotates both at once.
 * @see https://developers.pandadoc.com/reference/refresh-access-token
 */
export async function refreshTokenRequest(
  client: ClientCredentials,
  refreshToken: string,
  format: TokenFormat = 'form',
): Promise<Judged<TokenCallResult>> {
  return judge(
    'refresh',
    await postToken(client.environment, refreshTokenForm(client, refreshToken), format),
  );
}

/**
 * `GET /public/v1/members/current` with a Bearer token: whose token it is, and whether it works.
 * `check` when the token was pasted by hand rather than held by the profile.
 * @see https://developers.pandadoc.com/reference/detailscurrentmember
 */
export async function currentMemberRequest(
  environment: EnvironmentId,
  accessToken: string,
  kind: 'verify' | 'check' = 'verify',
): Promise<Judged<UpstreamExchange>> {
  return judge(kind, await getCurrentMember(environment, accessToken));
}

/** The token pair of an exchange or refresh whose verdict says it worked; null otherwise. */
export function processTokenCall(call: Judged<UpstreamExchange>): TokenSet | null {
  if (call.verdict.outcome !== 'ok' || !call.response) return null;
  const type = call.response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;
  const parsed = parseTokenResponse(
    call.response.status,
    type,
    call.response.body,
    call.startedAt + call.durationMs,
  );
  return parsed.ok ? parsed.tokens : null;
}
