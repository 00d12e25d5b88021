/**
 * Bounded memory: dead codes and tokens are dropped as new ones are issued, the maps have caps,
 * reset drops what has expired and forget drops everything. Dropping must not change an answer:
 * a reused code, a rotated refresh token and an expired code answer exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator } from './app.ts';
import type { ControlState } from './control.ts';
import { CODE_LIFETIME_MS, DEFAULT_STORE_LIMITS, SimulatorCore } from './state.ts';
import {
  CLIENT,
  codeFor,
  core,
  exchange,
  memberStatus,
  refresh,
  tokensFor,
  useCore,
} from './testCore.ts';

const INVALID_GRANT = { status: 400, body: { error: 'invalid_grant' } };

useCore({ maxCodes: 5, maxTokenPairs: 4 });

describe('dead entries are dropped as new ones are issued', () => {
  it('an exchanged code is gone at once; reusing it is still invalid_grant, as an unknown code', () => {
    const code = codeFor();
    expect(exchange(code).status).toBe(200);
    expect(core.grantSizes().codes).toBe(0);
    expect(exchange(code)).toEqual(INVALID_GRANT);
    // Within its ten minutes and after many other codes: the same answer, the same body.
    for (let i = 0; i < 20; i++) exchange(codeFor());
    core.advanceClock(CODE_LIFETIME_MS - 1);
    expect(exchange(code)).toEqual(INVALID_GRANT);
    expect(exchange('f'.repeat(40))).toEqual(INVALID_GRANT);
  });

  it('expired codes go when the next code is issued; an expired code answers as before', () => {
    const old = [codeFor(), codeFor(), codeFor()];
    core.advanceClock(CODE_LIFETIME_MS);
    expect(core.grantSizes().codes).toBe(3);
    expect(exchange(old[0])).toEqual(INVALID_GRANT);
    expect(core.grantSizes().codes).toBe(2);
    const fresh = codeFor();
    expect(core.grantSizes().codes).toBe(1);
    for (const code of old) expect(exchange(code)).toEqual(INVALID_GRANT);
    expect(exchange(fresh).status).toBe(200);
  });

  it('a rotated pair is gone at once; the old refresh token is still invalid_grant', () => {
    const first = tokensFor();
    const second = refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(core.grantSizes()).toMatchObject({ accessTokens: 1, refreshTokens: 1 });
    expect(refresh(first.refresh_token)).toEqual(INVALID_GRANT);
    expect(memberStatus(first.access_token)).toBe(401);
    expect(memberStatus(second.body.access_token as string)).toBe(200);
  });

  it('expired access tokens go as new pairs are issued; their refresh tokens still work', () => {
    core.settings.accessTokenLifetimeSeconds = 60;
    const a = tokensFor();
    core.advanceClock(60_000);
    const b = tokensFor();
    expect(core.grantSizes()).toMatchObject({ accessTokens: 1, refreshTokens: 2 });
    expect(memberStatus(a.access_token)).toBe(401);
    expect(memberStatus(b.access_token)).toBe(200);
    expect(refresh(a.refresh_token).status).toBe(200);
  });
});

describe('caps', () => {
  it('past maxCodes the oldest unexchanged code is dropped (and answers invalid_grant)', () => {
    const codes = Array.from({ length: 7 }, () => codeFor());
    expect(core.grantSizes().codes).toBe(5);
    expect(exchange(codes[0])).toEqual(INVALID_GRANT);
    expect(exchange(codes[1])).toEqual(INVALID_GRANT);
    for (const code of codes.slice(2)) expect(exchange(code).status).toBe(200);
  });

  it('past maxTokenPairs the oldest pair is dropped; a refreshed pair counts as new', () => {
    const pairs = Array.from({ length: 4 }, () => tokensFor());
    const renewed = refresh(pairs[0].refresh_token).body as Record<string, string>;
    const fifth = tokensFor();
    expect(core.grantSizes()).toMatchObject({ accessTokens: 4, refreshTokens: 4 });
    // pairs[0] was rotated (dead anyway); pairs[1] is the oldest live one and was dropped.
    expect(memberStatus(pairs[1].access_token)).toBe(401);
    expect(refresh(pairs[1].refresh_token)).toEqual(INVALID_GRANT);
    for (const t of [pairs[2], pairs[3], fifth]) expect(memberStatus(t.access_token)).toBe(200);
    expect(memberStatus(renewed.access_token)).toBe(200);
  });

  it('the defaults, and caps below 1 are refused', () => {
    expect(new SimulatorCore(CLIENT).grantSizes()).toEqual({
      codes: 0,
      accessTokens: 0,
      refreshTokens: 0,
      ...DEFAULT_STORE_LIMITS,
    });
    expect(() => new SimulatorCore({ ...CLIENT, limits: { maxCodes: 0 } })).toThrow(RangeError);
    expect(() => new SimulatorCore({ ...CLIENT, limits: { maxTokenPairs: 1.5 } })).toThrow(
      /maxTokenPairs must be a whole number/,
    );
  });
});

describe('reset and forget', () => {
  it('reset drops what has expired and keeps what lives; expired stays expired', () => {
    core.settings.accessTokenLifetimeSeconds = 3600;
    const kept = codeFor();
    const tokens = tokensFor();
    core.advanceClock(CODE_LIFETIME_MS + 1);
    const live = codeFor();
    core.advanceClock(3600_000);
    const liveAfter = codeFor();
    core.resetControls();
    expect(core.clockOffsetMs).toBe(0);
    expect(core.grantSizes()).toMatchObject({ codes: 1, accessTokens: 0, refreshTokens: 1 });
    // Rewinding the clock revives nothing.
    expect(exchange(kept)).toEqual(INVALID_GRANT);
    expect(exchange(live)).toEqual(INVALID_GRANT);
    expect(memberStatus(tokens.access_token)).toBe(401);
    expect(exchange(liveAfter).status).toBe(200);
    expect(refresh(tokens.refresh_token).status).toBe(200);
  });

  it('moving the clock back revives nothing either', () => {
    const code = codeFor();
    core.advanceClock(CODE_LIFETIME_MS);
    core.advanceClock(-CODE_LIFETIME_MS);
    expect(exchange(code)).toEqual(INVALID_GRANT);
  });

  it('POST /_control/reset and /_control/forget, with the counts in the control state', async () => {
    const app = createSimulator(core);
    const post = async (path: string) =>
      (await (await app.request(`/_control/${path}`, { method: 'POST' })).json()) as ControlState;
    codeFor();
    const aged = codeFor();
    core.advanceClock(CODE_LIFETIME_MS);
    const code = codeFor();
    tokensFor();
    const state = (await (await app.request('/_control')).json()) as ControlState;
    expect(state.grants).toEqual({
      codes: 1,
      accessTokens: 1,
      refreshTokens: 1,
      maxCodes: 5,
      maxTokenPairs: 4,
    });
    // The aged codes go; the live code and pair stay.
    expect((await post('reset')).grants).toMatchObject({ codes: 1, refreshTokens: 1 });
    expect(exchange(aged)).toEqual(INVALID_GRANT);
    expect((await post('forget')).grants).toMatchObject({
      codes: 0,
      accessTokens: 0,
      refreshTokens: 0,
    });
    expect(exchange(code)).toEqual(INVALID_GRANT);
  });
});

describe('at volume, with the default caps', () => {
  // How much memory that takes at a million is bench/simulator.bench.ts's question.
  it('more unexchanged codes than maxCodes keep maxCodes; the newest still exchange', () => {
    const sim = new SimulatorCore(CLIENT);
    let last = '';
    for (let i = 0; i < DEFAULT_STORE_LIMITS.maxCodes + 2000; i++) last = codeFor(undefined, sim);
    expect(sim.grantSizes().codes).toBe(DEFAULT_STORE_LIMITS.maxCodes);
    const result = sim.token(
      new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        code: last,
      }),
    );
    expect(result.status).toBe(200);
  });
});
