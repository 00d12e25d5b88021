/**
 * The error triage: turns a recorded call plus what this session knows into one plain-language
 * diagnosis. Rules run in priority order; the first that recognises the situation wins, so the
 * strongest evidence (a recorded earlier use) beats a guess (the code's age), and 'unknown' is last.
 */
import { readFacts, type Rule } from './facts.ts';
import { apiForbidden, apiUnauthorized } from './rules/api.ts';
import { unknownAnswer, upstreamMalformed } from './rules/fallback.ts';
import {
  codeExpired,
  codeReused,
  invalidGrantUnclear,
  refreshRotated,
  wrongClient,
} from './rules/invalidGrant.ts';
import { redirectUriChanged } from './rules/redirectUri.ts';
import { debuggerRefused } from './rules/refused.ts';
import {
  badScopeName,
  jsonBody,
  missingField,
  scopeWidened,
  unsupportedGrantType,
  wrongSecret,
} from './rules/tokenRequest.ts';
import {
  rateLimited,
  upstream5xx,
  upstreamHtml,
  upstreamTimeout,
  upstreamUnreachable,
} from './rules/transport.ts';
import {
  apiKeyOnTokenCall,
  bearerMalformed,
  codeExchangedTwice,
  refreshRace,
  refreshWithCode,
  regionMismatch,
  tokenQueryString,
} from './rules/wire.ts';
import type { Diagnosis, TriageInput } from './types.ts';

export { triageCallback } from './callback.ts';
export {
  compareRedirectUris,
  type RedirectUriDifference,
  type RedirectUriPart,
} from './redirectUri.ts';
export { retryAfterSeconds } from './rules/transport.ts';
export * from './history.ts';
export * from './types.ts';

/** Why the call failed, in priority order. */
export const ERROR_RULES: readonly Rule[] = Object.freeze([
  // Never sent on: nothing the other rules read is PandaDoc's.
  debuggerRefused,
  upstreamTimeout,
  upstreamUnreachable,
  rateLimited,
  upstream5xx,
  upstreamHtml,
  tokenQueryString,
  jsonBody,
  unsupportedGrantType,
  wrongSecret,
  badScopeName,
  refreshWithCode,
  missingField,
  scopeWidened,
  codeExchangedTwice,
  codeReused,
  wrongClient,
  codeExpired,
  regionMismatch,
  refreshRace,
  refreshRotated,
  invalidGrantUnclear,
  bearerMalformed,
  apiUnauthorized,
  apiForbidden,
  upstreamMalformed,
  unknownAnswer,
]);

/** Things worth saying whether or not the call failed. */
export const WARNING_RULES: readonly Rule[] = Object.freeze([
  redirectUriChanged,
  apiKeyOnTokenCall,
]);

/** The one error diagnosis (if the call failed) followed by any warnings. */
export function triageAll(input: TriageInput): Diagnosis[] {
  const facts = readFacts(input);
  const out: Diagnosis[] = [];
  for (const rule of ERROR_RULES) {
    const d = rule(input, facts);
    if (d) {
      out.push(d);
      break;
    }
  }
  for (const rule of WARNING_RULES) {
    const d = rule(input, facts);
    if (d) out.push(d);
  }
  return out;
}

/** The most important diagnosis for a call: its error, else a warning, else null (all is well). */
export function triage(input: TriageInput): Diagnosis | null {
  return triageAll(input)[0] ?? null;
}
