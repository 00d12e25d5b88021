/** What came back from the authorize step, as a Diagnosis like any other failure. */
import type { CallbackResult } from '../oauth/callback.ts';
import { DOCS, type Diagnosis } from './types.ts';

/** A Diagnosis for a failed callback; null when the code arrived and state matched (or was not checked). */
export function triageCallback(result: CallbackResult): Diagnosis | null {
  if (result.ok) return null;
  const base = {
    severity: 'error' as const,
    title: result.message,
    next: result.hint,
    evidence: [] as string[],
  };
  switch (result.code) {
    case 'access_denied':
      return {
        ...base,
        rule: 'access_denied',
        title: 'The user clicked Deny',
        cause: result.message + ' PandaDoc sends error=access_denied with no description.',
        evidence: ['The redirect carried error=access_denied and no code.'],
        docs: DOCS.authorizeErrors,
      };
    case 'authorize_error':
      return {
        ...base,
        rule: 'authorize_error',
        title: 'PandaDoc refused the authorize request',
        cause: result.message,
        docs: DOCS.authorizeErrors,
      };
    case 'state_mismatch':
      return {
        ...base,
        rule: 'state_mismatch',
        title: 'The state in the redirect does not match',
        cause: result.message,
        evidence: [
          'The redirect carried a state= that differs from the one saved when Authorize was opened here.',
        ],
        docs: DOCS.state,
      };
    case 'state_empty':
      return {
        ...base,
        rule: 'state_empty',
        title: 'The redirect came back with an empty state',
        cause: result.message,
        evidence: ['The redirect carried state= with nothing after it.'],
        docs: DOCS.state,
      };
    case 'state_missing':
      return {
        ...base,
        rule: 'state_missing',
        title: 'The redirect has no state',
        cause: result.message,
        docs: DOCS.state,
      };
    case 'no_pending':
      return {
        ...base,
        rule: 'no_pending',
        title: 'No authorize request was started here',
        cause: result.message,
        docs: DOCS.state,
      };
    case 'missing_code':
      return {
        ...base,
        rule: 'missing_code',
        title: 'The redirect has no code',
        cause: result.message,
        docs: DOCS.authentication,
      };
    case 'empty':
    case 'garbage':
      return {
        ...base,
        rule: 'unreadable_input',
        title: 'That is not a redirect URL or a code',
        cause: result.message,
      };
  }
}
