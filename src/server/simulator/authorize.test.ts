/** The authorize endpoint's rules on the simulator core: parameters, consent, the redirect back. */
import { describe, expect, it } from 'vitest';
import { SimulatorCore } from './state.ts';
import { base, CLIENT, codeFor, core, q, useCore } from './testCore.ts';

useCore();

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
