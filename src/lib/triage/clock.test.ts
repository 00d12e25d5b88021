import { describe, expect, it } from 'vitest';
import { SimSession } from './fixtures.ts';
import { triage } from './index.ts';

/**
 * The drills move the simulator's clock, not the browser's. The triage sees the move the way it
 * would see a real server's drift: through the upstream's Date header.
 */
describe('triage with the upstream clock moved', () => {
  it('code_expired when only the simulator clock moved 11 minutes', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    s.core.advanceClock(11 * 60_000);
    const ex = await s.exchange(code.value);
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_grant' });
    const d = triage(await s.input('exchange', ex, { code }));
    expect(d?.rule).toBe('code_expired');
    expect(d?.evidence.join(' ')).toMatch(
      /Date header is 11 min( \d+ s)? ahead of this browser's clock/,
    );
  });

  it('a minute of skew is rounding, not a clock move: no expiry claimed', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    s.core.advanceClock(30_000);
    const ex = await s.exchange(code.value);
    expect(ex.response?.status).toBe(200);
    expect(triage(await s.input('exchange', ex, { code }))).toBeNull();
  });

  it('an access token past its expires_in: "has expired", not a vague 401', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value);
    const { access } = SimSession.tokens(ex);
    const expiresAt = ex.startedAt + 31535999 * 1000;
    s.core.advanceClock(366 * 24 * 3600_000);
    const call = await s.verify(access);
    expect(call.response?.status).toBe(401);
    const input = await s.input('verify', call, { accessToken: access });
    input.context.accessTokenExpiresAt = expiresAt;
    const d = triage(input);
    expect(d?.rule).toBe('api_unauthorized');
    expect(d?.title).toBe('This access token has expired');
    expect(d?.evidence.join(' ')).toMatch(/by the upstream's clock/);
  });

  it('a live token refused for another reason is not called expired', async () => {
    const s = new SimSession();
    const call = await s.verify('f'.repeat(40));
    const input = await s.input('verify', call, { accessToken: 'f'.repeat(40) });
    input.context.accessTokenExpiresAt = s.clock + 3600_000;
    expect(triage(input)?.title).not.toMatch(/expired/);
  });
});
