/** What codes and tokens live for: single-use 10-minute codes, refresh rotation, access-token lifetime. */
import { describe, expect, it } from 'vitest';
import { CODE_LIFETIME_MS, SimulatorCore } from './state.ts';
import {
  base,
  codeFor,
  core,
  exchange,
  HEX40,
  OTHER,
  refresh,
  setWall,
  tokensFor,
  useCore,
  wall,
} from './testCore.ts';

useCore();

describe('codes', () => {
  it('are single use: a second exchange → invalid_grant', () => {
    const code = codeFor();
    expect(code).toMatch(HEX40);
    expect(exchange(code).status).toBe(200);
    expect(exchange(code)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('live 10 minutes on the simulated clock', () => {
    const code = codeFor();
    core.advanceClock(CODE_LIFETIME_MS - 1);
    expect(exchange(code).status).toBe(200);

    const late = codeFor();
    core.advanceClock(CODE_LIFETIME_MS);
    expect(exchange(late)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('follow the injected wall clock as well as the offset', () => {
    const code = codeFor();
    setWall(wall + 11 * 60 * 1000);
    expect(exchange(code).body).toEqual({ error: 'invalid_grant' });
    expect(core.time()).toBe(wall);
    core.clockOffsetMs = 5;
    expect(core.time()).toBe(wall + 5);
  });

  it('are bound to the client: another client gets invalid_grant', () => {
    core.registerClient(OTHER);
    const code = codeFor();
    expect(exchange(code, {}, OTHER)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(exchange(code).status).toBe(200);
  });

  it('are bound to the granted scope', () => {
    const code = codeFor(`${base}&scope=read`);
    expect(exchange(code).body.scope).toBe('read');
  });

  it('clear() forgets codes and rewinds the clock', () => {
    const code = codeFor();
    core.advanceClock(1000);
    core.clear();
    expect(core.clockOffsetMs).toBe(0);
    expect(exchange(code).body).toEqual({ error: 'invalid_grant' });
  });
});

describe('refresh rotation', () => {
  it('kills the old refresh and access tokens at once and keeps the scope', () => {
    const first = tokensFor(`${base}&scope=read`);
    const result = refresh(first.refresh_token);
    expect(result.status).toBe(200);
    const second = result.body as typeof first;
    expect(second.access_token).toMatch(HEX40);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe('read');
    expect(core.currentMember(`Bearer ${first.access_token}`).status).toBe(401);
    expect(core.currentMember(`Bearer ${second.access_token}`).status).toBe(200);
    expect(refresh(first.refresh_token)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(refresh(second.refresh_token).status).toBe(200);
  });

  it('two parallel refreshes with one token: the second gets invalid_grant', () => {
    const { refresh_token } = tokensFor();
    const results = [refresh(refresh_token), refresh(refresh_token)];
    expect(results.map((r) => r.status)).toEqual([200, 400]);
    expect(results[1].body).toEqual({ error: 'invalid_grant' });
  });

  it('checks the scope against the old grant', () => {
    const narrow = tokensFor(`${base}&scope=read`);
    expect(refresh(narrow.refresh_token, { scope: 'read+write' })).toEqual({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(refresh(narrow.refresh_token, { scope: 'openid' })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: "'openid' is not a valid scope." },
    });
    expect(refresh(narrow.refresh_token, { scope: 'read' }).body.scope).toBe('read');
    const wide = tokensFor();
    expect(refresh(wide.refresh_token, { scope: 'read' }).body.scope).toBe('read write read+write');
  });

  it("rejects another client's refresh token", () => {
    core.registerClient(OTHER);
    const { refresh_token } = tokensFor();
    expect(refresh(refresh_token, {}, OTHER)).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(refresh(refresh_token).status).toBe(200);
  });

  it('refresh tokens never expire; access tokens die after 365 days', () => {
    const tokens = tokensFor();
    core.advanceClock(365 * 24 * 3600 * 1000 - 1000);
    expect(core.currentMember(`Bearer ${tokens.access_token}`).status).toBe(200);
    core.advanceClock(1000);
    expect(core.currentMember(`Bearer ${tokens.access_token}`).status).toBe(401);
    core.advanceClock(5 * 365 * 24 * 3600 * 1000);
    expect(refresh(tokens.refresh_token).status).toBe(200);
  });
});

describe('accessTokenLifetimeSeconds setting', () => {
  it('issues tokens with that expires_in, which die after it on the simulated clock', () => {
    let now = 1_000_000;
    const core = new SimulatorCore({
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'http://127.0.0.1:5173/callback',
      now: () => now,
      settings: { accessTokenLifetimeSeconds: 5 },
    });
    const redirect = core.decide(
      { client_id: 'c', response_type: 'code', redirect_uri: 'http://127.0.0.1:5173/callback' },
      true,
    );
    if (redirect.kind !== 'redirect') throw new Error('no redirect');
    const code = new URL(redirect.location).searchParams.get('code')!;
    const answer = core.token(
      new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'c',
        client_secret: 's',
        code,
      }),
    );
    const body = answer.body as { expires_in: number; access_token: string };
    expect(body.expires_in).toBe(5);
    expect(core.currentMember(`Bearer ${body.access_token}`).status).toBe(200);
    now += 5_000;
    expect(core.currentMember(`Bearer ${body.access_token}`).status).toBe(401);
  });
});
