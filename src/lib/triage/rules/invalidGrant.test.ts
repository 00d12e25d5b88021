import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../fingerprint.ts';
import { OTHER_CLIENT, SimSession, SIM_CLIENT } from '../fixtures.ts';
import { diagnose } from '../testHelpers.ts';

describe('triage: invalid_grant at the exchange', () => {
  it('code_reused: names the earlier successful exchange and its time', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const first = await s.exchange(code.value);
    const second = await s.exchange(code.value);
    expect(JSON.parse(second.response?.body ?? '')).toEqual({ error: 'invalid_grant' });
    const d = await diagnose(await s.input('exchange', second, { code }), s);
    expect(d.rule).toBe('code_reused');
    expect(d.severity).toBe('error');
    expect(d.evidence[0]).toContain(
      `This code (${code.context.fingerprint}) was exchanged successfully`,
    );
    expect(d.evidence[0]).toContain('(attempt 1)');
    expect(d.evidence[0]).toContain('1 s before this attempt');
    const { access } = SimSession.tokens(first);
    expect(d.evidence[1]).toContain(await fingerprint(access));
  });

  it('code_reused after a refresh: says the pair from that exchange was replaced, not "still good"', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const { refresh } = SimSession.tokens(await s.exchange(code.value));
    await s.refresh(refresh);
    const again = await s.exchange(code.value);
    const d = await diagnose(await s.input('exchange', again, { code }), s);
    expect(d.rule).toBe('code_reused');
    expect(d.cause).not.toMatch(/still good/);
    expect(d.cause).toMatch(/replaced by the refresh at/);
    expect(d.next).toMatch(/^Use the newest pair/);
    expect(d.evidence.join(' ')).toMatch(/the pair from the exchange no longer works/);
  });

  it('code_reused with no refresh since: claims nothing about the pair it cannot see', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    await s.exchange(code.value);
    const d = await diagnose(await s.input('exchange', await s.exchange(code.value), { code }), s);
    expect(d.cause).not.toMatch(/still good/);
    expect(d.cause).toMatch(/Nothing this session did since has replaced/);
  });

  it('code_reused: an earlier attempt that got no answer probably used the code', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const codeFp = code.context.fingerprint;
    const lost = {
      at: s.clock - 60_000,
      kind: 'exchange' as const,
      outcome: 'error' as const,
      status: null,
      errorCode: 'timeout',
      fingerprints: { code: codeFp },
    };
    const sim = await s.exchange(code.value); // succeeds at the simulator: stands for the lost answer
    expect(sim.response?.status).toBe(200);
    const retry = await s.exchange(code.value);
    const input = await s.input('exchange', retry, { code });
    input.context.history = [lost];
    const d = await diagnose(input, s);
    expect(d.rule).toBe('code_reused');
    expect(d.cause).toMatch(/no answer/);
  });

  it('code_expired: more than 10 minutes between capture and exchange', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    s.tick(11 * 60_000);
    const ex = await s.exchange(code.value);
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_grant' });
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('code_expired');
    expect(d.cause).toContain('11 min 1 s old');
    expect(d.evidence.join(' ')).toContain(code.context.fingerprint);
  });

  it('wrong_client: the code was issued to another app', async () => {
    const s = new SimSession();
    const code = await s.authorize({ clientId: OTHER_CLIENT.clientId });
    const ex = await s.exchange(code.value);
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_grant' });
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('wrong_client');
    expect(d.evidence).toEqual([
      `client_id in the authorize request: ${OTHER_CLIENT.clientId}`,
      `client_id in this exchange: ${SIM_CLIENT.clientId}`,
    ]);
  });

  it('invalid_grant_unclear: lists every possibility and what it can rule out', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    // The code was used elsewhere (say, the customer's backend): this session never saw it happen.
    s.core.token(
      new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: SIM_CLIENT.clientId,
        client_secret: SIM_CLIENT.clientSecret,
        code: code.value,
      }),
    );
    const ex = await s.exchange(code.value);
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('invalid_grant_unclear');
    expect(d.cause).toMatch(
      /unknown .* older than 10 minutes, already exchanged once, or issued to another client_id/,
    );
    expect(d.cause).toMatch(/cannot tell which/);
    expect(d.cause).toMatch(
      /rule out: it is not expired by time .*; it was issued to this client_id; this debugger has not sent it before/,
    );
  });

  it('invalid_grant_unclear: a pasted code with no context says so', async () => {
    const s = new SimSession();
    const ex = await s.exchange('0123456789abcdef0123456789abcdef01234567');
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('invalid_grant_unclear');
    expect(d.evidence).toEqual([
      'This debugger has no record of where or when this code was issued (was it pasted?).',
    ]);
    expect(d.cause).not.toMatch(/rule out/);
  });
});

describe('triage: refresh', () => {
  it('refresh_rotated: names the refresh that used the token and the newest one', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const { refresh: r1 } = SimSession.tokens(await s.exchange(code.value));
    const { refresh: r2 } = SimSession.tokens(await s.refresh(r1));
    const again = await s.refresh(r1);
    expect(JSON.parse(again.response?.body ?? '')).toEqual({ error: 'invalid_grant' });
    const d = await diagnose(await s.input('refresh', again, { refreshToken: r1 }), s);
    expect(d.rule).toBe('refresh_rotated');
    expect(d.evidence[0]).toContain(
      `Refresh token ${await fingerprint(r1)} was already used in the refresh at`,
    );
    expect(d.evidence[0]).toContain('(attempt 1)');
    expect(d.evidence[1]).toContain(
      `The newest refresh token this session holds is ${await fingerprint(r2)}`,
    );
  });

  it('wrong_client: a refresh token issued to another app', async () => {
    const s = new SimSession();
    const code = await s.authorize({ clientId: OTHER_CLIENT.clientId });
    const ex = await s.token('exchange', {
      grant_type: 'authorization_code',
      client_id: OTHER_CLIENT.clientId,
      client_secret: OTHER_CLIENT.clientSecret,
      code: code.value,
    });
    const { refresh } = SimSession.tokens(ex);
    const rf = await s.refresh(refresh);
    expect(JSON.parse(rf.response?.body ?? '')).toEqual({ error: 'invalid_grant' });
    const d = await diagnose(await s.input('refresh', rf, { refreshToken: refresh }), s);
    expect(d.rule).toBe('wrong_client');
    expect(d.evidence[0]).toContain(`issued to ${OTHER_CLIENT.clientId}`);
  });

  it('invalid_grant_unclear for an unknown refresh token', async () => {
    const s = new SimSession();
    const rf = await s.refresh('f'.repeat(40));
    const d = await diagnose(await s.input('refresh', rf, { refreshToken: 'f'.repeat(40) }), s);
    expect(d.rule).toBe('invalid_grant_unclear');
    expect(d.cause).toMatch(/unknown .*already used .*another client_id/);
    expect(d.cause).toMatch(/do not expire/);
  });
});
