import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../fingerprint.ts';
import { clock, readFacts, type Rule } from '../facts.ts';
import { OTHER_CLIENT, SimSession, SIM_CLIENT, T0 } from '../fixtures.ts';
import type { HistoryLike } from '../history.ts';
import { triage } from '../index.ts';
import { diagnose } from '../testHelpers.ts';
import type { CodeContext, TriageInput } from '../types.ts';
import {
  codeExpired,
  codeReused,
  invalidGrantUnclear,
  refreshRotated,
  wrongClient,
} from './invalidGrant.ts';

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

/** An invalid_grant answer to a hand-built call, with the history and context given. */
function refused(
  kind: 'exchange' | 'refresh' | 'verify',
  opts: {
    history?: HistoryLike[];
    code?: Partial<CodeContext>;
    refreshTokenFingerprint?: string;
    clientId?: string | null;
    environment?: 'us' | 'eu' | 'simulator';
    date?: string;
    error?: string;
  } = {},
): TriageInput {
  const clientId = opts.clientId === undefined ? 'cid' : opts.clientId;
  const form = new URLSearchParams({
    grant_type: kind === 'refresh' ? 'refresh_token' : 'authorization_code',
  });
  if (clientId !== null) form.set('client_id', clientId);
  const headers: Array<[string, string]> = [['content-type', 'application/json']];
  if (opts.date) headers.push(['Date', opts.date]);
  return {
    kind,
    now: T0 + 1000,
    call: {
      startedAt: T0,
      durationMs: 0,
      request: {
        method: 'POST',
        url: 'https://api.pandadoc.com/oauth2/access_token',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: form.toString(),
      },
      response: {
        status: 400,
        statusText: 'Bad Request',
        headers,
        body: JSON.stringify({ error: opts.error ?? 'invalid_grant' }),
        truncated: false,
      },
      failure: null,
    },
    context: {
      history: opts.history ?? [],
      code: opts.code
        ? { fingerprint: 'fp-code', capturedAt: T0 - 60_000, ...opts.code }
        : undefined,
      refreshTokenFingerprint: opts.refreshTokenFingerprint,
      profile: {
        clientId: 'profile-cid',
        redirectUri: 'http://127.0.0.1:5173/callback',
        environment: opts.environment ?? 'us',
      },
    },
  };
}
const run = (rule: Rule, input: TriageInput) => rule(input, readFacts(input));
const entry = (
  at: number,
  kind: HistoryLike['kind'],
  fingerprints: HistoryLike['fingerprints'],
  answer: Partial<HistoryLike> = {},
): HistoryLike => ({
  at,
  kind,
  outcome: 'ok',
  status: 200,
  errorCode: null,
  fingerprints,
  ...answer,
});
const failed = { outcome: 'error', status: 400, errorCode: 'invalid_grant' } as const;
const lost = { outcome: 'error', status: null, errorCode: null } as const;

describe('code_reused: the full diagnosis', () => {
  it('exchanged before, nothing since replaced the pair', () => {
    const history = [
      entry(T0 - 90_000, 'exchange', { code: 'fp-other', newAccessToken: 'fp-a0' }),
      entry(T0 - 80_000, 'exchange', { code: 'fp-code' }, lost),
      entry(T0 - 70_000, 'exchange', {
        code: 'fp-code',
        newAccessToken: 'fp-a1',
        newRefreshToken: 'fp-r1',
      }),
      entry(T0 - 65_000, 'refresh', { refreshToken: 'fp-r1' }, failed),
      entry(T0 - 64_000, 'verify', { refreshToken: 'fp-r1' }),
      entry(T0, 'refresh', { refreshToken: 'fp-r1' }),
    ];
    expect(run(codeReused, refused('exchange', { history, code: {} }))).toEqual({
      rule: 'code_reused',
      severity: 'error',
      title: 'This code was already exchanged',
      cause: `PandaDoc codes work once. This one was exchanged at ${clock(T0 + -70000)}, so PandaDoc now refuses it with invalid_grant. Nothing this session did since has replaced the tokens from that exchange.`,
      next: 'Use the tokens from the first exchange (or refresh them). For a new code, start again at Authorize. In your own code, exchange each code once and never retry an exchange that succeeded.',
      evidence: [
        `This code (fp-code) was exchanged successfully in the exchange at ${clock(T0 + -70000)} (attempt 3), 1 min 10 s before this attempt.`,
        'That exchange returned access token fp-a1 and refresh token fp-r1.',
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });

  it('exchanged before, then a refresh replaced the pair', () => {
    const history = [
      entry(T0 - 200_000, 'refresh', { refreshToken: 'fp-r1' }),
      entry(T0 - 100_000, 'exchange', {
        code: 'fp-code',
        newAccessToken: 'fp-a1',
        newRefreshToken: 'fp-r1',
      }),
      entry(T0 - 50_000, 'refresh', { refreshToken: 'fp-r1', newRefreshToken: 'fp-r2' }),
    ];
    expect(run(codeReused, refused('exchange', { history, code: {} }))).toEqual({
      rule: 'code_reused',
      severity: 'error',
      title: 'This code was already exchanged',
      cause: `PandaDoc codes work once. This one was exchanged at ${clock(T0 + -100000)}, so PandaDoc now refuses it with invalid_grant. The tokens from that exchange were replaced by the refresh at ${clock(T0 + -50000)}; the newest pair is the one that works.`,
      next: 'Use the newest pair (from the latest refresh). For a new code, start again at Authorize. In your own code, exchange each code once and never retry an exchange that succeeded.',
      evidence: [
        `This code (fp-code) was exchanged successfully in the exchange at ${clock(T0 + -100000)} (attempt 1), 1 min 40 s before this attempt.`,
        'That exchange returned access token fp-a1 and refresh token fp-r1.',
        `The refresh at ${clock(T0 + -50000)} (attempt 2) traded that refresh token for a new pair, so the pair from the exchange no longer works.`,
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });

  it('exchanged before with only an access token back', () => {
    const history = [
      entry(T0 - 3_600_000, 'exchange', { code: 'fp-code', newAccessToken: 'fp-a1' }),
      entry(T0 - 60_000, 'refresh', {}),
    ];
    expect(run(codeReused, refused('exchange', { history, code: {} }))?.evidence).toEqual([
      `This code (fp-code) was exchanged successfully in the exchange at ${clock(T0 - 3_600_000)} (attempt 1), 1 h before this attempt.`,
      'That exchange returned access token fp-a1.',
    ]);
  });

  it('sent before and no answer came back', () => {
    const history = [
      entry(T0 - 20_000, 'exchange', { code: 'fp-code' }, failed),
      entry(T0 - 10_000, 'exchange', { code: 'fp-code' }, { ...lost, errorCode: 'timeout' }),
    ];
    expect(run(codeReused, refused('exchange', { history, code: {} }))).toEqual({
      rule: 'code_reused',
      severity: 'error',
      title: 'This code was already exchanged',
      cause:
        'PandaDoc codes work once. An earlier exchange with this code got no answer, but PandaDoc most likely used the code then, so it now refuses it.',
      next: 'Start again at Authorize for a fresh code.',
      evidence: [
        `This code (fp-code) was sent in the exchange at ${clock(T0 + -10000)} (attempt 2), 10 s before this attempt, and no answer came back (timeout).`,
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
    history[1] = { ...history[1], errorCode: null } as HistoryLike;
    expect(run(codeReused, refused('exchange', { history, code: {} }))?.evidence[0]).toMatch(
      /no answer came back \(no status\)\.$/,
    );
  });

  it('stays silent without proof of an earlier use', () => {
    const refusedBefore = [entry(T0 - 20_000, 'exchange', { code: 'fp-code' }, failed)];
    expect(run(codeReused, refused('exchange', { history: refusedBefore, code: {} }))).toBeNull();
    const used = [entry(T0 - 20_000, 'exchange', { code: 'fp-code' })];
    expect(run(codeReused, refused('exchange', { history: used }))).toBeNull();
    expect(run(codeReused, refused('refresh', { history: used, code: {} }))).toBeNull();
    expect(
      run(codeReused, refused('exchange', { history: used, code: {}, error: 'invalid_client' })),
    ).toBeNull();
    const later = [entry(T0, 'exchange', { code: 'fp-code' })];
    expect(run(codeReused, refused('exchange', { history: later, code: {} }))).toBeNull();
  });
});

describe('wrong_client: the full diagnosis', () => {
  it('a code issued to another client_id', () => {
    expect(run(wrongClient, refused('exchange', { code: { clientId: 'other-cid' } }))).toEqual({
      rule: 'wrong_client',
      severity: 'error',
      title: 'The code belongs to another app (client_id)',
      cause:
        'A code is bound to the client_id that asked for it at the authorize step. This one was issued to other-cid, but the exchange was sent as cid, so PandaDoc answers invalid_grant.',
      next: "Exchange the code with client_id other-cid and that app's secret, or authorize again with cid.",
      evidence: [
        'client_id in the authorize request: other-cid',
        'client_id in this exchange: cid',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3',
    });
  });
  it('no client_id in the form: the profile one was sent', () => {
    const d = run(
      wrongClient,
      refused('exchange', { code: { clientId: 'other-cid' }, clientId: null }),
    );
    expect(d?.evidence).toEqual([
      'client_id in the authorize request: other-cid',
      'client_id in this exchange: profile-cid',
    ]);
  });
  it('a refresh token issued to another client_id', () => {
    const history = [
      entry(T0 - 120_000, 'exchange', { newRefreshToken: 'fp-r1' }, { clientId: 'other-cid' }),
    ];
    expect(
      run(wrongClient, refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' })),
    ).toEqual({
      rule: 'wrong_client',
      severity: 'error',
      title: 'The refresh token belongs to another app (client_id)',
      cause: `A refresh token works only for the client_id it was issued to. This one came from the exchange at ${clock(T0 + -120000)} (attempt 1) for other-cid, but the refresh was sent as cid.`,
      next: "Refresh with client_id other-cid and that app's secret.",
      evidence: [
        `Refresh token fp-r1 was issued to other-cid at ${clock(T0 + -120000)}.`,
        'client_id in this refresh: cid',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-6',
    });
  });
  it('stays silent when the client matches or is unknown', () => {
    expect(run(wrongClient, refused('exchange', { code: { clientId: 'cid' } }))).toBeNull();
    expect(run(wrongClient, refused('exchange', { code: {} }))).toBeNull();
    expect(
      run(wrongClient, refused('exchange', { code: { clientId: 'x' }, error: 'invalid_client' })),
    ).toBeNull();
    const issued = (clientId: string | null) => [
      entry(T0 - 1000, 'exchange', { newRefreshToken: 'fp-r1' }, { clientId }),
    ];
    expect(
      run(
        wrongClient,
        refused('refresh', { history: issued('cid'), refreshTokenFingerprint: 'fp-r1' }),
      ),
    ).toBeNull();
    expect(
      run(
        wrongClient,
        refused('refresh', { history: issued(null), refreshTokenFingerprint: 'fp-r1' }),
      ),
    ).toBeNull();
    expect(run(wrongClient, refused('refresh', { history: issued('x') }))).toBeNull();
    expect(
      run(
        wrongClient,
        refused('verify', {
          history: issued('x'),
          refreshTokenFingerprint: 'fp-r1',
          code: { clientId: 'x' },
        }),
      ),
    ).toBeNull();
  });
});

describe('code_expired: the 10-minute boundary and the upstream clock', () => {
  it('exactly 10 minutes old is still valid; a millisecond more is expired', () => {
    expect(
      run(codeExpired, refused('exchange', { code: { capturedAt: T0 - 600_000 } })),
    ).toBeNull();
    expect(
      run(
        codeExpired,
        refused('exchange', { code: { capturedAt: T0 - 600_001, authorizedAt: T0 - 605_000 } }),
      ),
    ).toEqual({
      rule: 'code_expired',
      severity: 'error',
      title: 'The code expired before it was exchanged',
      cause:
        'PandaDoc codes are valid for 10 minutes. This one was at least 10 min old when the exchange was sent.',
      next: 'Start again at Authorize and exchange the new code right away. In your own code, exchange in the redirect handler, not later.',
      evidence: [
        `The code (fp-code) arrived at ${clock(T0 + -601000)}; this exchange was sent at ${clock(T0 + 0)}, 10 min later.`,
        `The authorize request started at ${clock(T0 + -605000)}.`,
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3',
    });
  });
  it('by the upstream clock, ahead', () => {
    const date = new Date(T0 + 11 * 60_000).toUTCString();
    expect(
      run(codeExpired, refused('exchange', { code: { capturedAt: T0 - 1000 }, date })),
    ).toEqual({
      rule: 'code_expired',
      severity: 'error',
      title: 'The code expired before it was exchanged',
      cause:
        'PandaDoc codes are valid for 10 minutes. This one was at least 11 min 1 s old when the exchange was sent.',
      next: 'Start again at Authorize and exchange the new code right away. In your own code, exchange in the redirect handler, not later.',
      evidence: [
        `The code (fp-code) arrived at ${clock(T0 + -1000)}; by the upstream's clock this exchange came 11 min 1 s later.`,
        "The upstream's Date header is 11 min ahead of this browser's clock.",
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3',
    });
  });
  it('by the upstream clock, behind', () => {
    const date = new Date(T0 - 2 * 60_000).toUTCString();
    const d = run(
      codeExpired,
      refused('exchange', { code: { capturedAt: T0 - 15 * 60_000 }, date }),
    );
    expect(d?.evidence).toEqual([
      `The code (fp-code) arrived at ${clock(T0 - 15 * 60_000)}; by the upstream's clock this exchange came 13 min later.`,
      "The upstream's Date header is 2 min behind this browser's clock.",
    ]);
    expect(
      run(codeExpired, refused('exchange', { code: { capturedAt: T0 - 11 * 60_000 }, date })),
    ).toBeNull();
  });
  it('only an exchange refused with invalid_grant, with a code on record', () => {
    const code = { capturedAt: T0 - 3_600_000 };
    expect(run(codeExpired, refused('refresh', { code }))).toBeNull();
    expect(run(codeExpired, refused('exchange', { code, error: 'invalid_client' }))).toBeNull();
    expect(run(codeExpired, refused('exchange'))).toBeNull();
  });
});

describe('refresh_rotated: the full diagnosis', () => {
  it('used by a refresh that worked; a newer token is held', () => {
    const history = [
      entry(T0 - 300_000, 'exchange', { newRefreshToken: 'fp-r1' }),
      entry(T0 - 200_000, 'refresh', { refreshToken: 'fp-r1', newRefreshToken: 'fp-r2' }),
      entry(T0 - 100_000, 'refresh', { refreshToken: 'fp-r2', newRefreshToken: 'fp-r3' }),
      entry(T0 - 50_000, 'refresh', { refreshToken: 'fp-r3' }, failed),
      // A 200 whose access_token was empty: its refresh token is not one the session holds.
      entry(
        T0 - 40_000,
        'refresh',
        { refreshToken: 'fp-r3', newRefreshToken: 'fp-r4' },
        { outcome: 'error', status: 200, errorCode: 'malformed' },
      ),
    ];
    expect(
      run(refreshRotated, refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' })),
    ).toEqual({
      rule: 'refresh_rotated',
      severity: 'error',
      title: 'This refresh token was already used (rotated)',
      cause: `Every refresh gives a new refresh token and kills the old one and its access token at once. This one was used at ${clock(T0 + -200000)}. Two workers refreshing with the same token hit exactly this: one wins, the other gets invalid_grant.`,
      next: 'Use the newest refresh token (and store it before using the new access token). If it is lost, authorize again. In your own code, refresh in one place only, under a lock.',
      evidence: [
        `Refresh token fp-r1 was already used in the refresh at ${clock(T0 + -200000)} (attempt 1), 3 min 20 s before this attempt; it returned refresh token fp-r2.`,
        `The newest refresh token this session holds is fp-r3 (from the refresh at ${clock(T0 + -100000)} (attempt 2)).`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('used by the check that worked, which returned nothing new; it is the newest held', () => {
    const history = [
      entry(T0 - 300_000, 'exchange', { newRefreshToken: 'fp-r1' }),
      entry(T0 - 200_000, 'check', { refreshToken: 'fp-r1' }),
    ];
    expect(
      run(refreshRotated, refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' })),
    ).toEqual({
      rule: 'refresh_rotated',
      severity: 'error',
      title: 'This refresh token was already used (rotated)',
      cause: `Every refresh gives a new refresh token and kills the old one and its access token at once. This one was used at ${clock(T0 + -200000)}. Two workers refreshing with the same token hit exactly this: one wins, the other gets invalid_grant.`,
      next: 'Use the newest refresh token (and store it before using the new access token). If it is lost, authorize again. In your own code, refresh in one place only, under a lock.',
      evidence: [
        `Refresh token fp-r1 was already used in the check at ${clock(T0 + -200000)} (attempt 1), 3 min 20 s before this attempt.`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('sent before and no answer came back', () => {
    const history = [entry(T0 - 30_000, 'refresh', { refreshToken: 'fp-r1' }, lost)];
    expect(
      run(refreshRotated, refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' })),
    ).toEqual({
      rule: 'refresh_rotated',
      severity: 'error',
      title: 'This refresh token was already used (rotated)',
      cause:
        'Every refresh gives a new refresh token and kills the old one and its access token at once. Two workers refreshing with the same token hit exactly this: one wins, the other gets invalid_grant.',
      next: 'Use the newest refresh token (and store it before using the new access token). If it is lost, authorize again. In your own code, refresh in one place only, under a lock.',
      evidence: [
        `Refresh token fp-r1 was sent in the refresh at ${clock(T0 + -30000)} (attempt 1) and no answer came back; PandaDoc most likely rotated it then.`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('stays silent without proof of an earlier use', () => {
    const history = [
      entry(T0 - 30_000, 'refresh', { refreshToken: 'fp-r1' }, failed),
      entry(T0 - 20_000, 'verify', { refreshToken: 'fp-r1' }),
      entry(T0 - 10_000, 'exchange', { refreshToken: 'fp-r1' }),
    ];
    expect(
      run(refreshRotated, refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' })),
    ).toBeNull();
    const used = [entry(T0 - 30_000, 'refresh', { refreshToken: 'fp-r1' })];
    expect(run(refreshRotated, refused('refresh', { history: used }))).toBeNull();
    expect(
      run(refreshRotated, refused('exchange', { history: used, refreshTokenFingerprint: 'fp-r1' })),
    ).toBeNull();
    expect(
      run(
        refreshRotated,
        refused('refresh', {
          history: used,
          refreshTokenFingerprint: 'fp-r1',
          error: 'invalid_client',
        }),
      ),
    ).toBeNull();
  });
});

describe('invalid_grant_unclear: the full diagnosis', () => {
  it('a code this debugger sent and PandaDoc refused before, on PandaDoc US', () => {
    const history = [entry(T0 - 20_000, 'exchange', { code: 'fp-code' }, failed)];
    expect(
      run(invalidGrantUnclear, refused('exchange', { history, code: { clientId: 'cid' } })),
    ).toEqual({
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the code (invalid_grant)',
      cause:
        'PandaDoc gives the same answer for four different problems, and this session has no evidence that tells them apart: the code is unknown (mistyped, cut short, or issued by PandaDoc EU or the simulator), older than 10 minutes, already exchanged once, or issued to another client_id. This debugger cannot tell which. What it can rule out: it is not expired by time (under 10 minutes); it was issued to this client_id.',
      next: 'Start again at Authorize and exchange the new code once, within 10 minutes, with the same client_id.',
      evidence: [
        `PandaDoc already refused it in the exchange at ${clock(T0 + -20000)} (attempt 1).`,
        'The code (fp-code) arrived 1 min before this exchange.',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('a code issued to an unknown client_id, never sent, on PandaDoc EU', () => {
    expect(run(invalidGrantUnclear, refused('exchange', { code: {}, environment: 'eu' }))).toEqual({
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the code (invalid_grant)',
      cause:
        'PandaDoc gives the same answer for four different problems, and this session has no evidence that tells them apart: the code is unknown (mistyped, cut short, or issued by PandaDoc US or the simulator), older than 10 minutes, already exchanged once, or issued to another client_id. This debugger cannot tell which. What it can rule out: it is not expired by time (under 10 minutes); this debugger has not sent it before (another tool or your own backend still could have).',
      next: 'Start again at Authorize and exchange the new code once, within 10 minutes, with the same client_id.',
      evidence: ['The code (fp-code) arrived 1 min before this exchange.'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('a code issued to another client_id is not ruled out', () => {
    const input = refused('exchange', { code: { clientId: 'other' } });
    expect(invalidGrantUnclear(input, readFacts(input))?.cause).toMatch(
      /rule out: it is not expired by time \(under 10 minutes\); this debugger has not sent it before/,
    );
  });
  it('a pasted code after other exchanges: nothing is matched against a code it has no record of', () => {
    const history = [entry(T0 - 20_000, 'exchange', { code: 'fp-code' }, failed)];
    const input = refused('exchange', { history, environment: 'simulator' });
    expect(invalidGrantUnclear(input, readFacts(input))?.evidence).toEqual([
      'This debugger has no record of where or when this code was issued (was it pasted?).',
    ]);
  });
  it('a pasted code on the simulator', () => {
    expect(run(invalidGrantUnclear, refused('exchange', { environment: 'simulator' }))).toEqual({
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the code (invalid_grant)',
      cause:
        'PandaDoc gives the same answer for four different problems, and this session has no evidence that tells them apart: the code is unknown (mistyped, cut short, or issued by the real PandaDoc, not this simulator), older than 10 minutes, already exchanged once, or issued to another client_id. This debugger cannot tell which.',
      next: 'Start again at Authorize and exchange the new code once, within 10 minutes, with the same client_id.',
      evidence: [
        'This debugger has no record of where or when this code was issued (was it pasted?).',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('a refresh token this session got from an exchange and never used', () => {
    const history = [entry(T0 - 20_000, 'exchange', { newRefreshToken: 'fp-r1' })];
    expect(
      run(
        invalidGrantUnclear,
        refused('refresh', { history, refreshTokenFingerprint: 'fp-r1', environment: 'eu' }),
      ),
    ).toEqual({
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the refresh token (invalid_grant)',
      cause:
        'PandaDoc gives the same answer whether the refresh token is unknown (mistyped, or issued by PandaDoc US or the simulator), already used by an earlier refresh (each one works once), or issued to another client_id. This debugger cannot tell which. Refresh tokens do not expire by time. What it can rule out: this debugger has not used it before (another worker or your own backend still could have).',
      next: 'Use the newest refresh token you hold; if none works, authorize again.',
      evidence: [
        `Refresh token fp-r1 came from the exchange at ${clock(T0 + -20000)} (attempt 1).`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('a refresh token of unknown origin, refused before', () => {
    const history = [entry(T0 - 20_000, 'refresh', { refreshToken: 'fp-r1' }, failed)];
    expect(
      run(
        invalidGrantUnclear,
        refused('refresh', { history, refreshTokenFingerprint: 'fp-r1', environment: 'simulator' }),
      ),
    ).toEqual({
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the refresh token (invalid_grant)',
      cause:
        'PandaDoc gives the same answer whether the refresh token is unknown (mistyped, or issued by the real PandaDoc, not this simulator), already used by an earlier refresh (each one works once), or issued to another client_id. This debugger cannot tell which. Refresh tokens do not expire by time.',
      next: 'Use the newest refresh token you hold; if none works, authorize again.',
      evidence: [
        `PandaDoc already refused it in the refresh at ${clock(T0 + -20000)} (attempt 1).`,
        'This session has no record of where refresh token fp-r1 came from.',
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('a refresh with no fingerprint on record', () => {
    expect(run(invalidGrantUnclear, refused('refresh'))).toEqual({
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the refresh token (invalid_grant)',
      cause:
        'PandaDoc gives the same answer whether the refresh token is unknown (mistyped, or issued by PandaDoc EU or the simulator), already used by an earlier refresh (each one works once), or issued to another client_id. This debugger cannot tell which. Refresh tokens do not expire by time.',
      next: 'Use the newest refresh token you hold; if none works, authorize again.',
      evidence: [],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('not for member calls or other errors', () => {
    expect(run(invalidGrantUnclear, refused('verify'))).toBeNull();
    expect(run(invalidGrantUnclear, refused('exchange', { error: 'invalid_request' }))).toBeNull();
  });
});

describe('the documented rule priority for invalid_grant', () => {
  it('code_reused wins over code_expired: a recorded use beats the age', () => {
    const history = [entry(T0 - 700_000, 'exchange', { code: 'fp-code' })];
    const input = refused('exchange', {
      history,
      code: { capturedAt: T0 - 701_000, clientId: 'other' },
    });
    expect(triage(input)?.rule).toBe('code_reused');
    expect(triage({ ...input, context: { ...input.context, history: [] } })?.rule).toBe(
      'wrong_client',
    );
    input.context.code = { fingerprint: 'fp-code', capturedAt: T0 - 701_000 };
    expect(triage({ ...input, context: { ...input.context, history: [] } })?.rule).toBe(
      'code_expired',
    );
  });
  it('wrong_client wins over code_expired; refresh_rotated over invalid_grant_unclear', () => {
    const input = refused('exchange', { code: { capturedAt: T0 - 701_000, clientId: 'other' } });
    expect(triage(input)?.rule).toBe('wrong_client');
    const history = [entry(T0 - 1000, 'refresh', { refreshToken: 'fp-r1' })];
    expect(triage(refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' }))?.rule).toBe(
      'refresh_rotated',
    );
  });
});

describe('invalid_grant: only the same code or refresh token counts as evidence', () => {
  it('the callback that received the code is not a use of it', () => {
    const history = [entry(T0 - 30_000, 'callback', { code: 'fp-code' })];
    expect(run(codeReused, refused('exchange', { history, code: {} }))).toBeNull();
  });
  it('a refresh of another token neither used this one nor rotated the pair', () => {
    const other = entry(T0 - 10_000, 'refresh', {
      refreshToken: 'fp-other',
      newRefreshToken: 'fp-x',
    });
    expect(
      run(
        refreshRotated,
        refused('refresh', { history: [other], refreshTokenFingerprint: 'fp-r1' }),
      ),
    ).toBeNull();
    const exchanged = entry(T0 - 60_000, 'exchange', {
      code: 'fp-code',
      newAccessToken: 'fp-a1',
      newRefreshToken: 'fp-r1',
    });
    expect(
      run(codeReused, refused('exchange', { history: [exchanged, other], code: {} }))?.cause,
    ).toMatch(/Nothing this session did since has replaced the tokens from that exchange\.$/);
  });
  it('the client_id of the call that issued this refresh token, not of another', () => {
    const history = [
      entry(T0 - 200_000, 'exchange', { newRefreshToken: 'fp-r0' }, { clientId: 'cid' }),
      entry(T0 - 120_000, 'exchange', { newRefreshToken: 'fp-r1' }, { clientId: 'other-cid' }),
    ];
    expect(
      run(wrongClient, refused('refresh', { history, refreshTokenFingerprint: 'fp-r1' }))?.rule,
    ).toBe('wrong_client');
  });
  it('"already refused" only after an invalid_grant, not after a server error', () => {
    const history = [
      entry(
        T0 - 20_000,
        'exchange',
        { code: 'fp-code' },
        { outcome: 'error', status: 502, errorCode: 'http_502' },
      ),
    ];
    const input = refused('exchange', { history, code: {} });
    expect(invalidGrantUnclear(input, readFacts(input))?.evidence).toEqual([
      'The code (fp-code) arrived 1 min before this exchange.',
    ]);
  });
});
