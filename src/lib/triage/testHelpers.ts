/**
 * Test-only helpers shared by the triage rule tests: run the triage, check no raw secret of the
 * session leaks into a diagnosis, and build answers the simulator cannot give.
 */
import { expect } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import type { SimSession } from './fixtures.ts';
import { triage } from './index.ts';
import type { Diagnosis, TriageInput } from './types.ts';

/** No raw secret of the session may appear in a diagnosis. */
export function expectNoSecrets(d: Diagnosis | null, s: SimSession) {
  const text = JSON.stringify(d);
  for (const secret of s.secrets) expect(text).not.toContain(secret);
}

/** The diagnosis of a call, which must exist and carry no secret. */
export async function diagnose(input: TriageInput, s: SimSession): Promise<Diagnosis> {
  const d = triage(input);
  expect(d).not.toBeNull();
  expectNoSecrets(d, s);
  return d as Diagnosis;
}

/** Hand-built answers the simulator cannot give yet. */
export function handMade(
  response: UpstreamExchange['response'],
  failure: UpstreamExchange['failure'] = null,
  kind: TriageInput['kind'] = 'verify',
): TriageInput {
  return {
    kind,
    now: 1_000_000,
    call: {
      startedAt: 990_000,
      durationMs: failure?.kind === 'timeout' ? 15000 : 120,
      request:
        kind === 'verify'
          ? {
              method: 'GET',
              url: 'https://api.pandadoc.com/public/v1/members/current',
              headers: [['Authorization', 'Bearer t0k3n-t0k3n-t0k3n']],
              body: null,
            }
          : {
              method: 'POST',
              url: 'https://api.pandadoc.com/oauth2/access_token',
              headers: [['Content-Type', 'application/x-www-form-urlencoded']],
              body: 'grant_type=refresh_token&client_id=c&client_secret=%5Bredacted%5D&refresh_token=r',
            },
      response,
      failure,
    },
    context: {
      history: [],
      profile: { clientId: 'c', redirectUri: 'http://127.0.0.1:5173/callback', environment: 'us' },
    },
  };
}
export const res = (
  status: number,
  body: string,
  headers: Array<[string, string]> = [['content-type', 'application/json']],
) => ({ status, statusText: '', headers, body, truncated: false });
