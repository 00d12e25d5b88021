import { KNOWN_SCOPES, splitRequestedScope } from '../oauth/scope.ts';
import { compareRedirectUris } from './redirectUri.ts';
import { DOCS, type Diagnosis } from './types.ts';

/**
 * What can be told about an authorize request before it is sent. PandaDoc answers a bad
 * redirect_uri or scope with an error page on its own site: the browser never comes back, so the
 * debugger has to say it here or not at all.
 */
export interface AuthorizeCheck {
  redirectUri: string;
  scope: string;
  /** The redirect URI registered for this client, when this app knows it (the simulator's). */
  registeredRedirectUri?: string;
}

export function triageAuthorize(check: AuthorizeCheck): Diagnosis[] {
  const out: Diagnosis[] = [];
  const unknown = splitRequestedScope(check.scope).filter((s) => !KNOWN_SCOPES.includes(s));
  if (unknown.length) {
    out.push({
      rule: 'bad_scope_name',
      severity: 'error',
      title: `PandaDoc does not know the scope ${unknown.map((s) => `“${s}”`).join(', ')}`,
      cause: `PandaDoc's scopes are read, write and read+write. It answers this authorize request with an error page ("'${unknown[0]}' is not a valid scope.") and never redirects back.`,
      next: 'Ask for read+write (or read) only.',
      evidence: [
        `scope as sent, form-decoded and split on spaces: ${splitRequestedScope(check.scope).join(', ')}`,
      ],
      docs: DOCS.authentication,
    });
  }
  if (check.registeredRedirectUri !== undefined) {
    const diffs = compareRedirectUris(check.redirectUri, check.registeredRedirectUri);
    if (diffs.length) {
      out.push({
        rule: 'redirect_uri_mismatch',
        severity: 'error',
        title: 'This redirect_uri does not match the one registered for the app',
        cause: `PandaDoc compares them character by character and shows an error page on a mismatch, with no redirect back. ${diffs.map((d) => d.message).join(' ')}`,
        next: `Use exactly ${check.registeredRedirectUri}, or change the app's settings.`,
        evidence: [`sent: ${check.redirectUri}`, `registered: ${check.registeredRedirectUri}`],
        docs: DOCS.redirectUri,
      });
    }
  }
  return out;
}
