/**
 * Every raw secret a story item carries, so the finished diagnosis can be checked (and scrubbed)
 * for them: whatever a rule or the triage quotes, only fingerprints may leave.
 */
import { callSecrets } from '../triage/history.ts';
import { headerValue } from './roles.ts';
import type { StoryItem } from './story.ts';

const SECRET_PARAMS = [
  'code',
  'refresh_token',
  'access_token',
  'client_secret',
  'code_verifier',
  'password',
  'state',
];

export function secretsOf(item: StoryItem): string[] {
  const out: string[] = [];
  for (const name of SECRET_PARAMS) for (const v of item.params.getAll(name)) if (v) out.push(v);
  const s = callSecrets(item.exchange);
  for (const v of [s.accessToken, s.newAccessToken, s.newRefreshToken]) if (v) out.push(v);
  const auth = headerValue(item.exchange.request.headers, 'authorization');
  const credential = auth?.trim().split(/\s+/)[1];
  if (credential) out.push(credential);
  // Short values (a state of "1") would be scrubbed out of ordinary words; none of PandaDoc's are.
  return out.filter((v) => v.length >= 8);
}
