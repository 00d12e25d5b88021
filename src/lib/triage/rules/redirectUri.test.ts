import { describe, expect, it } from 'vitest';
import { readFacts } from '../facts.ts';
import { SimSession, SIM_CLIENT } from '../fixtures.ts';
import { triageAll } from '../index.ts';
import { diagnose, handMade, res } from '../testHelpers.ts';
import type { TriageInput } from '../types.ts';
import { redirectUriChanged } from './redirectUri.ts';

describe('triage: redirect_uri at the exchange', () => {
  it('redirect_uri_changed: a warning on a successful exchange, naming the difference', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value, { redirect_uri: 'http://127.0.0.1:5173/callback/' });
    expect(ex.response?.status).toBe(200);
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('redirect_uri_changed');
    expect(d.severity).toBe('warning');
    expect(d.evidence).toContain('Trailing slash: only the second ends the path with "/".');
  });

  it('redirect_uri_changed comes after the error when the exchange also failed', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    await s.exchange(code.value);
    const ex = await s.exchange(code.value, { redirect_uri: 'https://127.0.0.1:5173/callback' });
    const all = triageAll(await s.input('exchange', ex, { code }));
    expect(all.map((d) => d.rule)).toEqual(['code_reused', 'redirect_uri_changed']);
    expect(all[1]?.evidence).toContain('Scheme: http vs https.');
  });
});

describe('redirect_uri_changed: the full diagnosis, and when it stays silent', () => {
  const exchange = (
    redirectUri: string | null,
    kind: TriageInput['kind'] = 'exchange',
    authorized: string | null = SIM_CLIENT.redirectUri,
  ): TriageInput => {
    const input = handMade(res(200, '{"access_token":"a","token_type":"Bearer"}'), null, kind);
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: 'k' });
    if (redirectUri !== null) form.set('redirect_uri', redirectUri);
    input.call.request.body = form.toString();
    input.context.code = { fingerprint: 'fp', capturedAt: 0, redirectUri: authorized ?? undefined };
    return input;
  };
  const run = (input: TriageInput) => redirectUriChanged(input, readFacts(input));
  it('another port', () => {
    expect(run(exchange('http://127.0.0.1:5174/callback'))).toEqual({
      rule: 'redirect_uri_changed',
      severity: 'warning',
      title: 'The exchange sent a different redirect_uri than the authorize request',
      cause:
        'PandaDoc ignores redirect_uri at the token endpoint, so this did not cause an error here. It does show that the exchange is configured differently from the authorize step, and OAuth servers that follow RFC 6749 strictly refuse it.',
      next: 'Use one redirect URI everywhere, exactly as registered in the PandaDoc app settings.',
      evidence: [
        'At authorize: http://127.0.0.1:5173/callback',
        'At exchange: http://127.0.0.1:5174/callback',
        'Port: ":5173" vs ":5174".',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3',
    });
  });
  it('silent when the same, not sent, not known, or not an exchange', () => {
    expect(run(exchange(SIM_CLIENT.redirectUri))).toBeNull();
    expect(run(exchange(null))).toBeNull();
    expect(run(exchange(''))).toBeNull();
    expect(run(exchange('http://x/cb', 'exchange', null))).toBeNull();
    expect(run(exchange('http://x/cb', 'refresh'))).toBeNull();
  });
});
