/**
 * The rules only a whole recording can show. Each is a pure function over the analysed steps of a
 * recording (any list of exchanges: a HAR, a paste, or live traffic), so other views can share them.
 */
import type { AnalyzedItem } from '../analyze.ts';
import type { EvidenceDiagnosis } from '../types.ts';
import { redirectUriDiffers, regionMismatch, scopeDiffers, scopeEncoding } from './mismatch.ts';
import { authorizeRefused, callbackError, noTokenCall, stateChecks } from './redirect.ts';
import { callbackTwice, codeExchangedTwice, refreshRace, tokenAfterRefresh } from './reuse.ts';
import type { RecordingRuleFn } from './shared.ts';
import { burstThen429, clockGap, headersStripped, jsonTokenRequest } from './wire.ts';

export type { RecordingRuleFn } from './shared.ts';

/** In the order their findings are listed (errors are sorted first afterwards). */
export const RECORDING_RULES: readonly RecordingRuleFn[] = Object.freeze([
  authorizeRefused,
  callbackError,
  stateChecks,
  codeExchangedTwice,
  callbackTwice,
  regionMismatch,
  jsonTokenRequest,
  refreshRace,
  tokenAfterRefresh,
  burstThen429,
  scopeDiffers,
  redirectUriDiffers,
  clockGap,
  scopeEncoding,
  headersStripped,
  noTokenCall,
]);

export function runRecordingRules(items: readonly AnalyzedItem[]): EvidenceDiagnosis[] {
  // A call the debugger answered itself never reached PandaDoc: it used no code or token, so it is
  // no evidence about the others (its own diagnosis comes from the per-call triage).
  const reached = items.filter((a) => a.verdict?.errorCode !== 'debugger_refused');
  return RECORDING_RULES.flatMap((rule) => rule(reached));
}
