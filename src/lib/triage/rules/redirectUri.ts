/** A warning, not an error: PandaDoc ignores redirect_uri at the exchange, but a mismatch means a mix-up. */
import { compareRedirectUris } from '../redirectUri.ts';
import type { Rule } from '../facts.ts';
import { DOCS } from '../types.ts';

export const redirectUriChanged: Rule = (input, facts) => {
  if (input.kind !== 'exchange') return null;
  const sent = facts.form?.get('redirect_uri');
  const authorized = input.context.code?.redirectUri;
  if (!sent || !authorized) return null;
  const diffs = compareRedirectUris(authorized, sent);
  if (diffs.length === 0) return null;
  return {
    rule: 'redirect_uri_changed',
    severity: 'warning',
    title: 'The exchange sent a different redirect_uri than the authorize request',
    cause:
      'PandaDoc ignores redirect_uri at the token endpoint, so this did not cause an error here. It does show that the exchange is configured differently from the authorize step, and OAuth servers that follow RFC 6749 strictly refuse it.',
    next: 'Use one redirect URI everywhere, exactly as registered in the PandaDoc app settings.',
    evidence: [
      `At authorize: ${authorized}`,
      `At exchange: ${sent}`,
      ...diffs.map((d) => d.message),
    ],
    docs: DOCS.codeGrant,
  };
};
