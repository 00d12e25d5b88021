import { describe, expect, it } from 'vitest';
import { clock, readFacts, type Rule } from '../facts.ts';
import { SimSession, T0 } from '../fixtures.ts';
import type { HistoryLike } from '../history.ts';
import { diagnose } from '../testHelpers.ts';
import type { TriageInput } from '../types.ts';
import { apiForbidden, apiUnauthorized } from './api.ts';

describe('triage: the member call', () => {
  it('api_unauthorized after a refresh: names the refresh that killed the token', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const { access, refresh } = SimSession.tokens(await s.exchange(code.value));
    await s.verify(access);
    await s.refresh(refresh);
    const me = await s.verify(access);
    expect(me.response?.status).toBe(401);
    const d = await diagnose(await s.input('verify', me, { accessToken: access }), s);
    expect(d.rule).toBe('api_unauthorized');
    expect(d.title).toBe('This access token was replaced by a refresh');
    expect(d.evidence.join('\n')).toMatch(
      /was used in the refresh at .* \(attempt 1\), which killed this access token/,
    );
    expect(d.evidence.join('\n')).toMatch(
      /The same token worked in the member call at .* \(attempt 1\)/,
    );
    expect(d.evidence[0]).toBe(
      'HTTP 401 authentication_error: "Authentication credentials were not provided."',
    );
  });

  it('api_unauthorized for an unknown token says it cannot tell which cause', async () => {
    const s = new SimSession();
    const me = await s.verify('e'.repeat(40));
    const d = await diagnose(await s.input('verify', me, { accessToken: 'e'.repeat(40) }), s);
    expect(d.rule).toBe('api_unauthorized');
    expect(d.cause).toMatch(/shows nothing that says which/);
  });

  it('api_forbidden: the spec-style 403 authentication error', async () => {
    const s = new SimSession();
    s.core.settings.membersAuthErrorStatus = 403;
    const me = await s.verify('e'.repeat(40));
    expect(me.response?.status).toBe(403);
    const d = await diagnose(await s.input('verify', me, { accessToken: 'e'.repeat(40) }), s);
    expect(d.rule).toBe('api_forbidden');
    expect(d.cause).toMatch(/spec maps .* to 403/);
  });
});

/** A member call answered `status` + `body`, hand-built with the context given. */
function memberCall(
  status: number,
  body: Record<string, string> | null,
  opts: {
    authorization?: string | null;
    accessTokenFingerprint?: string;
    accessTokenExpiresAt?: number;
    history?: HistoryLike[];
    environment?: 'us' | 'eu' | 'simulator';
    date?: string;
    kind?: TriageInput['kind'];
  } = {},
): TriageInput {
  const auth = opts.authorization === undefined ? 'Bearer t0k3n' : opts.authorization;
  const headers: Array<[string, string]> = [['content-type', 'application/json']];
  if (opts.date) headers.push(['date', opts.date]);
  return {
    kind: opts.kind ?? 'verify',
    now: T0 + 1000,
    call: {
      startedAt: T0,
      durationMs: 0,
      request: {
        method: 'GET',
        url: 'https://api.pandadoc.com/public/v1/members/current',
        headers: auth === null ? [] : [['Authorization', auth]],
        body: null,
      },
      response: {
        status,
        statusText: '',
        headers,
        body: body ? JSON.stringify(body) : '',
        truncated: false,
      },
      failure: null,
    },
    context: {
      history: opts.history ?? [],
      accessTokenFingerprint: opts.accessTokenFingerprint,
      accessTokenExpiresAt: opts.accessTokenExpiresAt,
      profile: {
        clientId: 'cid',
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
  outcome: 'ok' | 'error' = 'ok',
): HistoryLike => ({
  at,
  kind,
  outcome,
  status: outcome === 'ok' ? 200 : 400,
  errorCode: null,
  fingerprints,
});
const AUTH_ERROR = {
  type: 'authentication_error',
  detail: 'Authentication credentials were not provided.',
};

describe('api_unauthorized: the full diagnosis', () => {
  it('no token on record, on PandaDoc US: the other region is named', () => {
    expect(run(apiUnauthorized, memberCall(401, AUTH_ERROR))).toEqual({
      rule: 'api_unauthorized',
      severity: 'error',
      title: 'PandaDoc did not accept the access token (401)',
      cause:
        'PandaDoc answers 401 when the Bearer token is missing, unknown, expired (after 365 days) or killed by a refresh, or when it belongs to the other region (PandaDoc EU). This session shows nothing that says which.',
      next: 'Refresh with the newest refresh token and try again with the new access token; if the refresh fails too, authorize again.',
      evidence: ['HTTP 401 authentication_error: "Authentication credentials were not provided."'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1',
    });
  });
  it('a token of unknown origin, on PandaDoc EU, no type or detail', () => {
    expect(
      run(
        apiUnauthorized,
        memberCall(401, null, { accessTokenFingerprint: 'fp-a1', environment: 'eu' }),
      ),
    ).toEqual({
      rule: 'api_unauthorized',
      severity: 'error',
      title: 'PandaDoc did not accept the access token (401)',
      cause:
        'PandaDoc answers 401 when the Bearer token is missing, unknown, expired (after 365 days) or killed by a refresh, or when it belongs to the other region (PandaDoc US). This session shows nothing that says which.',
      next: 'Refresh with the newest refresh token and try again with the new access token; if the refresh fails too, authorize again.',
      evidence: ['HTTP 401', 'This session has no record of where access token fp-a1 came from.'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1',
    });
  });
  it('killed by the check that used its refresh token; it had worked before', () => {
    const history = [
      entry(T0 - 90_000, 'refresh', { refreshToken: 'fp-r1' }),
      entry(
        T0 - 80_000,
        'exchange',
        { newAccessToken: 'fp-a1', newRefreshToken: 'fp-r1' },
        'error',
      ),
      entry(T0 - 70_000, 'exchange', { newAccessToken: 'fp-a1', newRefreshToken: 'fp-r1' }),
      entry(T0 - 60_000, 'verify', { accessToken: 'fp-a1' }),
      entry(T0 - 55_000, 'verify', { accessToken: 'fp-a1' }, 'error'),
      entry(T0 - 50_000, 'verify', { accessToken: 'fp-other' }),
      entry(T0 - 45_000, 'refresh', { refreshToken: 'fp-r1' }, 'error'),
      entry(T0 - 44_000, 'verify', { refreshToken: 'fp-r1' }),
      entry(T0 - 40_000, 'check', { refreshToken: 'fp-r1' }),
    ];
    expect(
      run(
        apiUnauthorized,
        memberCall(401, AUTH_ERROR, {
          accessTokenFingerprint: 'fp-a1',
          history,
          environment: 'simulator',
        }),
      ),
    ).toEqual({
      rule: 'api_unauthorized',
      severity: 'error',
      title: 'This access token was replaced by a refresh',
      cause: `A refresh kills the old access token at once. This one died at ${clock(T0 + -40000)}, when its refresh token was used.`,
      next: 'Use the access token from the newest refresh.',
      evidence: [
        'HTTP 401 authentication_error: "Authentication credentials were not provided."',
        `Access token fp-a1 came from the exchange at ${clock(T0 + -70000)} (attempt 2).`,
        `Its refresh token fp-r1 was used in the check at ${clock(T0 + -40000)} (attempt 1), which killed this access token.`,
        `The same token worked in the member call at ${clock(T0 + -60000)} (attempt 1).`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('an exchange that returned no refresh token: nothing killed it', () => {
    const history = [
      entry(T0 - 70_000, 'exchange', { newAccessToken: 'fp-a1' }),
      entry(T0 - 60_000, 'refresh', {}),
    ];
    expect(
      run(apiUnauthorized, memberCall(401, null, { accessTokenFingerprint: 'fp-a1', history }))
        ?.title,
    ).toBe('PandaDoc did not accept the access token (401)');
  });
  it('expired by its expires_in, on our clock: the moment itself counts', () => {
    const expiresAt = T0;
    const shown = new Date(expiresAt).toLocaleString();
    expect(
      run(apiUnauthorized, memberCall(401, AUTH_ERROR, { accessTokenExpiresAt: expiresAt })),
    ).toEqual({
      rule: 'api_unauthorized',
      severity: 'error',
      title: 'This access token has expired',
      cause:
        'Access tokens live for expires_in seconds (a year at PandaDoc). This one ran out 0 s before the call.',
      next: 'Refresh it with the refresh token: refresh tokens do not expire.',
      evidence: [
        'HTTP 401 authentication_error: "Authentication credentials were not provided."',
        `The token response said it expires at ${shown}; that time has passed.`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
    expect(
      run(apiUnauthorized, memberCall(401, AUTH_ERROR, { accessTokenExpiresAt: T0 + 1 }))?.title,
    ).toBe('PandaDoc did not accept the access token (401)');
  });
  it('expired by the upstream clock, ahead and behind', () => {
    const expiresAt = T0 + 60 * 60_000;
    const shown = new Date(expiresAt).toLocaleString();
    const ahead = memberCall(401, AUTH_ERROR, {
      accessTokenExpiresAt: expiresAt,
      date: new Date(T0 + 2 * 3_600_000).toUTCString(),
    });
    expect(run(apiUnauthorized, ahead)).toEqual({
      rule: 'api_unauthorized',
      severity: 'error',
      title: 'This access token has expired',
      cause:
        'Access tokens live for expires_in seconds (a year at PandaDoc). This one ran out 1 h before the call.',
      next: 'Refresh it with the refresh token: refresh tokens do not expire.',
      evidence: [
        'HTTP 401 authentication_error: "Authentication credentials were not provided."',
        `The token response said it expires at ${shown}; by the upstream's clock (its Date header, 2 h ahead) that time has passed.`,
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
    const behind = memberCall(401, AUTH_ERROR, {
      accessTokenExpiresAt: T0 - 5 * 60_000,
      date: new Date(T0 - 2 * 60_000).toUTCString(),
    });
    expect(run(apiUnauthorized, behind)?.evidence.at(-1)).toMatch(
      /\(its Date header, 2 min behind\) that time has passed\.$/,
    );
    expect(run(apiUnauthorized, behind)?.cause).toMatch(/ran out 3 min before the call\./);
  });
  it('a refresh that killed it wins over the expiry', () => {
    const history = [
      entry(T0 - 70_000, 'exchange', { newAccessToken: 'fp-a1', newRefreshToken: 'fp-r1' }),
      entry(T0 - 40_000, 'refresh', { refreshToken: 'fp-r1' }),
    ];
    const d = run(
      apiUnauthorized,
      memberCall(401, null, {
        accessTokenFingerprint: 'fp-a1',
        history,
        accessTokenExpiresAt: T0 - 1,
      }),
    );
    expect(d?.title).toBe('This access token was replaced by a refresh');
  });
  it('the Authorization header as sent', () => {
    const evidence = (authorization: string | null) =>
      run(apiUnauthorized, memberCall(401, null, { authorization }))?.evidence;
    expect(evidence('Basic dXNlcjpwYXNz')).toEqual([
      'HTTP 401',
      'The Authorization header does not start with "Bearer " (it starts "Basic").',
    ]);
    expect(evidence('Bearer ')).toEqual([
      'HTTP 401',
      'The Authorization header does not start with "Bearer " (it starts "Bearer").',
    ]);
    expect(evidence('Token-without-a-scheme-and-far-too-long')).toEqual([
      'HTTP 401',
      'The Authorization header does not start with "Bearer " (it starts "Token-witho…").',
    ]);
    expect(evidence('bearer abc')).toEqual(['HTTP 401']);
    expect(evidence(null)).toEqual(['HTTP 401', 'No Authorization header was sent.']);
  });
  it('on the simulator there is no other region to blame', () => {
    expect(run(apiUnauthorized, memberCall(401, null, { environment: 'simulator' }))?.cause).toBe(
      'PandaDoc answers 401 when the Bearer token is missing, unknown, expired (after 365 days) or killed by a refresh. This session shows nothing that says which.',
    );
  });
  it('not for token calls or other statuses', () => {
    expect(run(apiUnauthorized, memberCall(401, AUTH_ERROR, { kind: 'refresh' }))).toBeNull();
    expect(run(apiUnauthorized, memberCall(403, AUTH_ERROR))).toBeNull();
  });
});

describe('api_forbidden: the full diagnosis', () => {
  it('the spec-style 403 authentication error reads as an unauthorized token', () => {
    expect(run(apiForbidden, memberCall(403, AUTH_ERROR, { environment: 'eu' }))).toEqual({
      rule: 'api_forbidden',
      severity: 'error',
      title: 'PandaDoc did not accept the access token (403)',
      cause:
        "PandaDoc answers 403 when the Bearer token is missing, unknown, expired (after 365 days) or killed by a refresh, or when it belongs to the other region (PandaDoc US). PandaDoc's spec maps this endpoint's authentication error to 403; the live service answers 401. This session shows nothing that says which.",
      next: 'Refresh with the newest refresh token and try again with the new access token; if the refresh fails too, authorize again.',
      evidence: ['HTTP 403 authentication_error: "Authentication credentials were not provided."'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1',
    });
    expect(run(apiForbidden, memberCall(403, null))?.title).toBe(
      'PandaDoc did not accept the access token (403)',
    );
  });
  it('a valid token refused for lack of permission', () => {
    expect(
      run(
        apiForbidden,
        memberCall(403, { type: 'permission_error', detail: 'You do not have permission.' }),
      ),
    ).toEqual({
      rule: 'api_forbidden',
      severity: 'error',
      title: 'PandaDoc accepted the token but refused the request (403)',
      cause:
        'The token is valid but this user or app may not do this: a scope (read vs write), role or license limit.',
      next: "Check the granted scope on the Tokens step and the user's role in the workspace.",
      evidence: ['HTTP 403 permission_error: "You do not have permission."'],
      docs: 'https://developers.pandadoc.com/reference/detailscurrentmember',
    });
    expect(run(apiForbidden, memberCall(403, { type: 'permission_error' }))?.evidence).toEqual([
      'HTTP 403 permission_error',
    ]);
  });
  it('not for token calls or other statuses', () => {
    expect(run(apiForbidden, memberCall(403, AUTH_ERROR, { kind: 'exchange' }))).toBeNull();
    expect(run(apiForbidden, memberCall(401, AUTH_ERROR))).toBeNull();
  });
});

describe('api_unauthorized: only its own refresh token kills a token', () => {
  it('a refresh of another pair does not', () => {
    const history = [
      entry(T0 - 70_000, 'exchange', { newAccessToken: 'fp-a1', newRefreshToken: 'fp-r1' }),
      entry(T0 - 40_000, 'refresh', { refreshToken: 'fp-r9' }),
    ];
    expect(
      run(apiUnauthorized, memberCall(401, null, { accessTokenFingerprint: 'fp-a1', history }))
        ?.title,
    ).toBe('PandaDoc did not accept the access token (401)');
  });
  it('two spaces after Bearer are still a Bearer header', () => {
    expect(
      run(apiUnauthorized, memberCall(401, null, { authorization: 'Bearer  abc' }))?.evidence,
    ).toEqual(['HTTP 401']);
  });
});
