import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from './member.ts';
import { CODE_LIFETIME_MS, EXPIRES_IN, SimulatorCore } from './state.ts';

const CLIENT = {
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  redirectUri: 'http://127.0.0.1:5173/callback',
};
const OTHER = {
  clientId: 'other-client',
  clientSecret: 'other-secret',
  redirectUri: 'https://other.example/cb',
};
const HEX40 = /^[0-9a-f]{40}$/;
const BASE57_22 = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{22}$/;

let wall: number;
let core: SimulatorCore;

beforeEach(() => {
  wall = Date.UTC(2025, 0, 1);
  core = new SimulatorCore({ ...CLIENT, now: () => wall });
});

/** Authorize query as a browser would send it (raw query string, form-decoded). */
function q(raw: string): URLSearchParams {
  return new URLSearchParams(raw);
}
const base = `client_id=${CLIENT.clientId}&response_type=code`;

/** Approve and return the code (or throw). */
function codeFor(query = `${base}&scope=read+write&state=s`, sim = core): string {
  const result = sim.decide(q(query), true);
  if (result.kind !== 'redirect') throw new Error(result.description);
  const code = new URL(result.location).searchParams.get('code');
  if (!code) throw new Error('no code');
  return code;
}

function exchange(code: string, extra: Record<string, string> = {}, client = CLIENT) {
  return core.token(
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      code,
      ...extra,
    }),
  );
}

function refresh(token: string, extra: Record<string, string> = {}, client = CLIENT) {
  return core.token(
    new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      refresh_token: token,
      ...extra,
    }),
  );
}

function tokensFor(query?: string) {
  const result = exchange(codeFor(query));
  expect(result.status).toBe(200);
  return result.body as { access_token: string; refresh_token: string; scope: string };
}

describe('demo user', () => {
  it('has 22-character base57 IDs and the demo identity', () => {
    for (const id of [DEMO_USER.user_id, DEMO_USER.membership_id, DEMO_USER.workspace]) {
      expect(id).toMatch(BASE57_22);
    }
    expect(DEMO_USER).toMatchObject({
      first_name: 'Dana',
      last_name: 'Demo',
      email: 'demo@example.com',
      workspace_name: 'Demo Workspace',
    });
  });
});

describe('authorize parameters', () => {
  const error = (raw: string) => {
    const result = core.authorize(q(raw));
    if (result.kind !== 'error') throw new Error('expected an error page');
    expect(result.status).toBe(400);
    return [result.error, result.description];
  };
  const unauthorized = [
    'unauthorized_client',
    'An unauthorized client tried to access your resources.',
  ];

  it('rejects a missing or unknown client_id with unauthorized_client', () => {
    expect(error('response_type=code')).toEqual(unauthorized);
    expect(error('client_id=&response_type=code')).toEqual(unauthorized);
    expect(error('client_id=nope&response_type=code')).toEqual(unauthorized);
  });

  it('requires response_type=code', () => {
    expect(error(`client_id=${CLIENT.clientId}`)).toEqual([
      'invalid_request',
      "No 'response_type' supplied.",
    ]);
    expect(error(`client_id=${CLIENT.clientId}&response_type=token`)).toEqual([
      'unsupported_response_type',
      "'token' is not a supported response type.",
    ]);
    expect(error(`client_id=${CLIENT.clientId}&response_type=code+token`)).toEqual([
      'unsupported_response_type',
      "'token' is not a supported response type.",
    ]);
  });

  it('requires the exact registered redirect_uri', () => {
    const mismatch = [
      'invalid_request',
      "The requested redirect didn't match the client settings.",
    ];
    for (const uri of [
      'http://127.0.0.1:5173/callback/',
      'https://127.0.0.1:5173/callback',
      'http://127.0.0.1:5174/callback',
      'http://localhost:5173/callback',
      'http://127.0.0.1:5173/callback?x=1',
    ]) {
      expect(error(`${base}&redirect_uri=${encodeURIComponent(uri)}`)).toEqual(mismatch);
    }
    const exact = core.authorize(
      q(`${base}&redirect_uri=${encodeURIComponent(CLIENT.redirectUri)}`),
    );
    expect(exact.kind).toBe('consent');
  });

  it('uses the registered redirect_uri when it is omitted or empty', () => {
    for (const raw of [base, `${base}&redirect_uri=`]) {
      const result = core.authorize(q(raw));
      if (result.kind !== 'consent') throw new Error('expected consent');
      expect(result.request.redirectUri).toBe(CLIENT.redirectUri);
    }
  });

  it('checks client_id, then response_type, then redirect_uri, then scope', () => {
    expect(error('client_id=nope&response_type=token&redirect_uri=x&scope=openid')[0]).toBe(
      'unauthorized_client',
    );
    expect(
      error(`client_id=${CLIENT.clientId}&response_type=token&redirect_uri=x&scope=openid`)[0],
    ).toBe('unsupported_response_type');
    expect(error(`${base}&redirect_uri=x&scope=openid`)[1]).toMatch(/redirect/);
    expect(error(`${base}&scope=openid`)[1]).toBe("'openid' is not a valid scope.");
  });

  it.each([
    ['read+write', 6],
    ['read%2Bwrite', 6],
    ['read%20write', 6],
    ['read write', 6],
    ['read', 2],
    ['write', 6],
    ['read+read%2Bwrite', 6],
    ['', 2],
  ])('scope=%s grants %i (always including read)', (scope, grant) => {
    const result = core.authorize(q(`${base}&scope=${scope}`));
    if (result.kind !== 'consent') throw new Error('expected consent');
    expect(result.request.grant).toBe(grant);
  });

  it('grants read when scope is omitted', () => {
    const result = core.authorize(q(base));
    if (result.kind !== 'consent') throw new Error('expected consent');
    expect(result.request.grant).toBe(2);
    expect(result.request.scopeParam).toBeNull();
  });

  it.each(['openid', 'webhook', 'read+openid', 'READ', 'read,write'])(
    'rejects scope=%s with the name in the description',
    (scope) => {
      const bad = new URLSearchParams(`scope=${scope}`)
        .get('scope')!
        .split(' ')
        .find((s) => s !== 'read');
      expect(error(`${base}&scope=${scope}`)).toEqual([
        'invalid_request',
        `'${bad}' is not a valid scope.`,
      ]);
    },
  );

  it('always echoes state (empty when omitted) and ignores PKCE parameters', () => {
    const omitted = core.authorize(q(`${base}&code_challenge=abc&code_challenge_method=S256`));
    if (omitted.kind !== 'consent') throw new Error('expected consent');
    expect(omitted.request.state).toBe('');
    const given = core.authorize({
      client_id: CLIENT.clientId,
      response_type: 'code',
      state: 'a b',
    });
    if (given.kind !== 'consent') throw new Error('expected consent');
    expect(given.request.state).toBe('a b');
    expect(given.user.email).toBe('demo@example.com');
  });
});

describe('decide: redirect back', () => {
  it('approve → {redirect_uri}?state=…&code=<40 hex>, state first', () => {
    const result = core.decide(q(`${base}&state=xyz`), true);
    if (result.kind !== 'redirect') throw new Error('expected redirect');
    expect(result.location).toMatch(
      /^http:\/\/127\.0\.0\.1:5173\/callback\?state=xyz&code=[0-9a-f]{40}$/,
    );
  });

  it('keeps an empty state= when none was sent', () => {
    for (const raw of [base, `${base}&state=`]) {
      const result = core.decide(q(raw), true);
      if (result.kind !== 'redirect') throw new Error('expected redirect');
      expect(result.location).toMatch(/\/callback\?state=&code=[0-9a-f]{40}$/);
    }
  });

  it('form-encodes state and round-trips it', () => {
    const state = 'a b&c=d/é';
    const result = core.decide({ client_id: CLIENT.clientId, response_type: 'code', state }, true);
    if (result.kind !== 'redirect') throw new Error('expected redirect');
    expect(new URL(result.location).searchParams.get('state')).toBe(state);
    expect(result.location).toContain('state=a+b%26c%3Dd%2F%C3%A9&code=');
  });

  it('deny → ?state=…&error=access_denied with no description', () => {
    const result = core.decide(q(`${base}&state=s1`), false);
    expect(result).toEqual({
      kind: 'redirect',
      location: 'http://127.0.0.1:5173/callback?state=s1&error=access_denied',
    });
    const empty = core.decide(q(base), false);
    expect(empty).toEqual({
      kind: 'redirect',
      location: 'http://127.0.0.1:5173/callback?state=&error=access_denied',
    });
  });

  it('replaces a query on the registered URI and drops its fragment', () => {
    const sim = new SimulatorCore({
      ...CLIENT,
      redirectUri: 'https://app.example/cb?x=1&y=2#frag',
    });
    const ok = sim.decide(q(`client_id=${CLIENT.clientId}&response_type=code&state=s`), true);
    if (ok.kind !== 'redirect') throw new Error('expected redirect');
    expect(ok.location).toMatch(/^https:\/\/app\.example\/cb\?state=s&code=[0-9a-f]{40}$/);
    const no = sim.decide(q(`client_id=${CLIENT.clientId}&response_type=code&state=s`), false);
    if (no.kind !== 'redirect') throw new Error('expected redirect');
    expect(no.location).toBe('https://app.example/cb?state=s&error=access_denied');
  });

  it('drops a fragment from a registered URI without a query', () => {
    const sim = new SimulatorCore({ ...CLIENT, redirectUri: 'https://app.example/cb#frag' });
    const no = sim.decide(q(`client_id=${CLIENT.clientId}&response_type=code`), false);
    expect(no).toEqual({
      kind: 'redirect',
      location: 'https://app.example/cb?state=&error=access_denied',
    });
  });

  it('takes the last value of a repeated parameter, as Django does', () => {
    const result = core.decide(q(`${base}&state=first&state=last`), false);
    if (result.kind !== 'redirect') throw new Error('expected redirect');
    expect(result.location).toBe('http://127.0.0.1:5173/callback?state=last&error=access_denied');
    const code = codeFor();
    const form = new URLSearchParams(
      `grant_type=password&grant_type=authorization_code&client_id=sim-client&client_secret=sim-secret&code=${code}`,
    );
    expect(core.token(form).status).toBe(200);
  });

  it('re-validates the posted parameters', () => {
    const tampered = core.decide(q(`${base}&redirect_uri=https://evil.example/cb`), true);
    expect(tampered).toMatchObject({ kind: 'error', status: 400, error: 'invalid_request' });
    expect(core.decide(q('client_id=nope&response_type=code'), true)).toMatchObject({
      error: 'unauthorized_client',
    });
    expect(core.decide(q(`${base}&scope=openid`), false)).toMatchObject({
      description: "'openid' is not a valid scope.",
    });
  });
});

describe('token endpoint: check order and error bodies', () => {
  it('1. no grant_type comes first, even with a bad client', () => {
    const body = {
      error: 'invalid_request',
      error_description: "No 'grant_type' included in the request.",
    };
    expect(core.token(new URLSearchParams())).toEqual({ status: 400, body });
    expect(core.token(new URLSearchParams('client_id=bad&client_secret=bad&code=x'))).toEqual({
      status: 400,
      body,
    });
  });

  it('2. unknown grant_type before client authentication', () => {
    for (const grantType of ['password', 'client_credentials', '']) {
      expect(core.token(new URLSearchParams({ grant_type: grantType, client_id: 'bad' }))).toEqual({
        status: 400,
        body: { error: 'unsupported_grant_type' },
      });
    }
  });

  it('3. client authentication before the code (400, not 401)', () => {
    const invalid = { status: 400, body: { error: 'invalid_client' } };
    for (const form of [
      'grant_type=authorization_code',
      'grant_type=authorization_code&client_id=sim-client',
      'grant_type=authorization_code&client_id=sim-client&client_secret=wrong',
      'grant_type=authorization_code&client_id=nope&client_secret=sim-secret',
      'grant_type=refresh_token&client_id=sim-client&client_secret=',
    ]) {
      expect(core.token(new URLSearchParams(form))).toEqual(invalid);
    }
  });

  it('accepts HTTP Basic credentials, falling back to the body when they are wrong', () => {
    const code = codeFor();
    const form = new URLSearchParams({ grant_type: 'authorization_code', code });
    expect(core.token(form, { id: 'sim-client', secret: 'wrong' }).body).toEqual({
      error: 'invalid_client',
    });
    expect(core.token(form, { id: 'sim-client', secret: 'sim-secret' }).status).toBe(200);
    const code2 = codeFor();
    const withBody = new URLSearchParams({
      grant_type: 'authorization_code',
      code: code2,
      client_id: 'sim-client',
      client_secret: 'sim-secret',
    });
    expect(core.token(withBody, { id: 'x', secret: 'y' }).status).toBe(200);
  });

  it('4. authorization_code: missing code → bare invalid_request', () => {
    expect(exchange('')).toEqual({ status: 400, body: { error: 'invalid_request' } });
  });

  it('4. unknown code → invalid_grant, checked before the scope', () => {
    expect(exchange('0'.repeat(40))).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(exchange('0'.repeat(40), { scope: 'openid' }).body).toEqual({ error: 'invalid_grant' });
  });

  it('4. bad scope name → invalid_request with description, before invalid_scope', () => {
    const code = codeFor(`${base}&scope=read`);
    expect(exchange(code, { scope: 'write openid' })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: "'openid' is not a valid scope." },
    });
  });

  it('4. scope wider than the grant → invalid_scope; the code survives the rejection', () => {
    const code = codeFor(`${base}&scope=read`);
    for (const scope of ['read+write', 'write', 'read write']) {
      expect(exchange(code, { scope })).toEqual({ status: 400, body: { error: 'invalid_scope' } });
    }
    expect(exchange(code).status).toBe(200);
  });

  it('5. refresh_token: missing → invalid_request; unknown → invalid_grant', () => {
    expect(refresh('')).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(refresh('f'.repeat(40))).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('token endpoint: success and scope', () => {
  it('returns the fields in PandaDoc order with 40-hex tokens', () => {
    const result = exchange(codeFor());
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'scope',
      'refresh_token',
    ]);
    expect(result.body.access_token).toMatch(HEX40);
    expect(result.body.refresh_token).toMatch(HEX40);
    expect(result.body.access_token).not.toBe(result.body.refresh_token);
    expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: EXPIRES_IN });
    expect(EXPIRES_IN).toBe(31535999);
  });

  it.each([
    ['read+write', 'read write read+write'],
    ['read%2Bwrite', 'read write read+write'],
    ['read%20write', 'read write read+write'],
    ['read write', 'read write read+write'],
    ['write', 'read write read+write'],
    ['read', 'read'],
  ])('authorize scope=%s → token scope "%s"', (scope, expected) => {
    expect(tokensFor(`${base}&scope=${scope}`).scope).toBe(expected);
  });

  it('omitted authorize scope → "read"', () => {
    expect(tokensFor(base).scope).toBe('read');
  });

  it('accepts the four scope encodings at the token endpoint too', () => {
    for (const raw of ['read+write', 'read%2Bwrite', 'read%20write', 'read write']) {
      const form = new URLSearchParams(
        `grant_type=authorization_code&client_id=sim-client&client_secret=sim-secret&code=${codeFor()}&scope=${raw}`,
      );
      expect(core.token(form).body.scope).toBe('read write read+write');
    }
  });

  it('a narrower token scope is allowed but the token keeps the full grant', () => {
    expect(exchange(codeFor(), { scope: 'read' }).body.scope).toBe('read write read+write');
  });

  it('scopeStyle "spec" reports "read+write"', () => {
    core.settings.scopeStyle = 'spec';
    expect(tokensFor().scope).toBe('read+write');
    expect(tokensFor(`${base}&scope=read`).scope).toBe('read');
  });

  it('ignores a redirect_uri sent to the token endpoint', () => {
    expect(exchange(codeFor(), { redirect_uri: 'https://whatever.example/' }).status).toBe(200);
  });
});

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
    wall += 11 * 60 * 1000;
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

describe('members/current', () => {
  it('returns the demo member, fields in the example order', () => {
    const { access_token } = tokensFor();
    const result = core.currentMember(`Bearer ${access_token}`);
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual([
      'user_id',
      'membership_id',
      'email',
      'first_name',
      'last_name',
      'is_active',
      'workspace',
      'workspace_name',
      'email_verified',
      'role',
      'user_license',
      'date_created',
      'date_modified',
    ]);
    expect(result.body).toEqual({ ...DEMO_USER });
    expect(core.currentMember(`bearer ${access_token}`).status).toBe(200);
  });

  it('401 authentication_error for missing, unknown or non-Bearer credentials', () => {
    const { access_token } = tokensFor();
    const expected = {
      status: 401,
      body: {
        type: 'authentication_error',
        detail: 'Authentication credentials were not provided.',
      },
    };
    for (const header of [
      undefined,
      null,
      '',
      'Bearer',
      `Bearer ${'0'.repeat(40)}`,
      `API-Key ${access_token}`,
      access_token,
    ]) {
      expect(core.currentMember(header)).toEqual(expected);
    }
  });

  it('uses 403 when membersAuthErrorStatus is 403', () => {
    core.settings.membersAuthErrorStatus = 403;
    expect(core.currentMember(undefined).status).toBe(403);
    core.settings.reset();
    expect(core.currentMember(undefined).status).toBe(401);
  });

  it('names the flag emails_verified when set, in the same position', () => {
    const { access_token } = tokensFor();
    core.settings.emailVerifiedField = 'emails_verified';
    const body = core.currentMember(`Bearer ${access_token}`).body;
    expect(Object.keys(body)[8]).toBe('emails_verified');
    expect(body.emails_verified).toBe(true);
    expect(body).not.toHaveProperty('email_verified');
  });
});

describe('settings', () => {
  it('have defaults, accept initial values and reset()', () => {
    expect(core.settings).toMatchObject({
      membersAuthErrorStatus: 401,
      emailVerifiedField: 'email_verified',
      scopeStyle: 'pandadoc',
    });
    const custom = new SimulatorCore({ ...CLIENT, settings: { scopeStyle: 'spec' } });
    expect(custom.settings.scopeStyle).toBe('spec');
    custom.settings.membersAuthErrorStatus = 403;
    custom.settings.reset();
    expect(custom.settings).toMatchObject({ scopeStyle: 'pandadoc', membersAuthErrorStatus: 401 });
  });

  it('exposes the registered demo client', () => {
    expect(core.client).toEqual(CLIENT);
    expect(core.findClient('nope')).toBeUndefined();
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
