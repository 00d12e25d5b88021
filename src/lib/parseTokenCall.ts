import type { UpstreamExchange } from './api/wire.ts';
import { parseTokenResponse, type TokenResponseResult } from './oauth/tokenResponse.ts';

/** Plain words for what went wrong in a token call: the error, what it usually means, what to do. */

export interface Explanation {
  title: string;
  cause: string;
  next: string;
}

const TOKEN_ERRORS: Record<string, (description: string | null) => Explanation> = {
  invalid_grant: () => ({
    title: 'invalid_grant: PandaDoc does not accept this code or refresh token',
    cause:
      'The code (or refresh token) is unknown, expired, already used, or belongs to another app. Codes work once and for 10 minutes; a refresh token dies when it is used.',
    next: 'Start again at Authorize for a fresh code; for a refresh, use the newest refresh token.',
  }),
  invalid_client: () => ({
    title: 'invalid_client: the client_id and client_secret do not match an app',
    cause:
      'The secret is wrong, or the client_id belongs to another app or environment (US vs EU).',
    next: 'Copy both from the app settings in PandaDoc again and check the environment.',
  }),
  invalid_request: (d) => ({
    title: `invalid_request${d ? `: ${d}` : ''}`,
    cause: d?.includes('grant_type')
      ? 'The token endpoint saw no grant_type: usually a JSON body instead of a form body.'
      : d?.includes('scope')
        ? 'A scope name PandaDoc does not know. Valid names: read, write, read+write.'
        : 'A required field is missing from the form body.',
    next: 'Send application/x-www-form-urlencoded with grant_type, client_id, client_secret and code or refresh_token.',
  }),
  unsupported_grant_type: () => ({
    title: 'unsupported_grant_type',
    cause: 'grant_type must be authorization_code or refresh_token.',
    next: 'Fix the grant_type field.',
  }),
  invalid_scope: () => ({
    title: 'invalid_scope: more scope asked than was granted',
    cause: 'The scope sent to the token endpoint is wider than what the user approved.',
    next: 'Leave scope out of the token request, or ask for it at Authorize.',
  }),
};

export function explainTokenResult(result: TokenResponseResult): Explanation | null {
  if (result.ok) return null;
  if (result.kind === 'oauth_error') {
    const known = TOKEN_ERRORS[result.error];
    if (known) return known(result.description);
    return {
      title: `${result.error}${result.description ? `: ${result.description}` : ''}`,
      cause:
        'PandaDoc answered with an error this debugger does not recognise; the raw answer is below.',
      next: 'Check the response body.',
    };
  }
  return {
    title: `Unusable answer (HTTP ${result.status})`,
    cause: result.message,
    next: 'Check the response body below.',
  };
}

export function explainFailure(call: UpstreamExchange): Explanation | null {
  if (!call.failure) return null;
  return call.failure.kind === 'timeout'
    ? {
        title: 'The upstream did not answer in time',
        cause: call.failure.message,
        next: 'Try again; if it persists, check the upstream status or your network.',
      }
    : {
        title: 'The upstream could not be reached',
        cause: call.failure.message,
        next: 'Check your network connection, proxy settings, and the environment (US or EU).',
      };
}

export function parseTokenCall(call: UpstreamExchange): TokenResponseResult | null {
  if (!call.response) return null;
  const type = call.response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;
  return parseTokenResponse(
    call.response.status,
    type,
    call.response.body,
    call.startedAt + call.durationMs,
  );
}
