import type { UpstreamExchange } from './api/wire.ts';
import { explainFailure, type Explanation } from './explainError.ts';
import type { MemberResponseResult } from './oauth/member.ts';

/** Plain words for a members/current call that did not return a member. */
export function explainMemberResult(
  call: UpstreamExchange,
  result: MemberResponseResult | null,
): Explanation | null {
  const failure = explainFailure(call);
  if (failure) return failure;
  if (!result || result.ok) return null;
  if (result.kind !== 'api_error') {
    return {
      title: `Unusable answer (HTTP ${result.status})`,
      cause: result.message,
      next: 'Check the response body below.',
    };
  }
  const detail = result.detail ? ` (“${result.detail}”)` : '';
  switch (result.status) {
    case 401:
    case 403:
      return {
        title: `${result.status}: PandaDoc does not accept this access token${detail}`,
        cause:
          'The token is unknown, was replaced by a refresh (refreshing kills the old pair), or belongs to another environment (US vs EU).',
        next: 'Refresh with the newest refresh token, or authorize again.',
      };
    case 429:
      return {
        title: `429: rate limited${detail}`,
        cause: 'Too many requests for this user in the last 60 seconds.',
        next: result.retryAfter
          ? `Wait ${result.retryAfter} s (Retry-After) and try again.`
          : 'Wait a minute and try again.',
      };
    default:
      return {
        title: `HTTP ${result.status}${result.type ? ` ${result.type}` : ''}${detail}`,
        cause:
          'PandaDoc answered with an error this debugger does not recognise; the raw answer is below.',
        next: 'Check the response body.',
      };
  }
}
