import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { OTHER_CLIENT, SimSession, SIM_CLIENT } from './fixtures.ts';
import { triage, triageAll, type Diagnosis, type TriageInput } from './index.ts';

/** No raw secret of the session may appear in a diagnosis. */
function expectNoSecrets(d: Diagnosis | null, s: SimSession) {
  const text = JSON.stringify(d);
  for (const secret of s.secrets) expect(text).not.toContain(secret);
}

async function diagnose(input: TriageInput, s: SimSession): Promise<Diagnosis> {
  const d = triage(input);
  expect(d).not.toBeNull();
  expectNoSecrets(d, s);
  return d as Diagnosis;
}

describe('triage: successful calls', () => {
  it('says nothing about a clean exchange, refresh and member call', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value);
    expect(ex.response?.status).toBe(200);
    expect(triage(await s.input('exchange', ex, { code }))).toBeNull();
    const { access, refresh } = SimSession.tokens(ex);
    const me = await s.verify(access);
    expect(triage(await s.input('verify', me, { accessToken: access }))).toBeNull();
    const rf = await s.refresh(refresh);
    expect(triage(await s.input('refresh', rf, { refreshToken: refresh }))).toBeNull();
  });
});

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

describe('triage: request problems', () => {
  it('wrong_secret: typed in the browser, and the client_id worked before', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    await s.exchange(code.value);
    const code2 = await s.authorize();
    const ex = await s.exchange(
      code2.value,
      { client_secret: 'typo-secret-value' },
      { secretSource: 'browser' },
    );
    s.secrets.add('typo-secret-value');
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_client' });
    const d = await diagnose(await s.input('exchange', ex, { code: code2 }), s);
    expect(d.rule).toBe('wrong_secret');
    expect(d.cause).toMatch(/typed in this browser/);
    expect(d.cause).toMatch(/the secret is the suspect/);
    expect(d.evidence).toContain('client_secret source: typed in the browser');
  });

  it('wrong_secret: held by the server, on PandaDoc US, mentions the EU mix-up', async () => {
    const s = new SimSession();
    const ex = await s.exchange(
      'a'.repeat(40),
      { client_secret: 'x'.repeat(20) },
      { secretSource: 'server' },
    );
    const input = await s.input('exchange', ex);
    input.context.profile.environment = 'us';
    const d = await diagnose(input, s);
    expect(d.rule).toBe('wrong_secret');
    expect(d.cause).toMatch(/PANDADOC_US_CLIENT_SECRET/);
    expect(d.cause).toMatch(/app\.pandadoc\.eu/);
  });

  it('wrong_secret: no secret at all', async () => {
    const s = new SimSession();
    const ex = await s.token(
      'exchange',
      { grant_type: 'authorization_code', client_id: SIM_CLIENT.clientId, code: 'a'.repeat(40) },
      { secretSource: 'none' },
    );
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('wrong_secret');
    expect(d.cause).toMatch(/No client_secret was sent/);
  });

  it('bad_scope_name: quotes the scope PandaDoc rejected', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value, { scope: 'read openid' });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({
      error: 'invalid_request',
      error_description: "'openid' is not a valid scope.",
    });
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('bad_scope_name');
    expect(d.title).toBe('"openid" is not a PandaDoc scope');
    expect(d.cause).toMatch(/common elsewhere/);
    expect(d.evidence).toContain('scope sent (decoded): "read openid"');
  });

  it('scope_widened: asked for write after a read-only grant', async () => {
    const s = new SimSession();
    const code = await s.authorize({ scope: 'read' });
    const ex = await s.exchange(code.value, { scope: 'read+write' });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_scope' });
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('scope_widened');
    expect(d.evidence).toEqual(['scope sent (decoded): "read+write"']);
  });

  it('json_body: a JSON request gets "No grant_type"', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const body = JSON.stringify({
      grant_type: 'authorization_code',
      client_id: SIM_CLIENT.clientId,
      code: code.value,
    });
    const ex = await s.token('exchange', {}, { contentType: 'application/json', rawBody: body });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({
      error: 'invalid_request',
      error_description: "No 'grant_type' included in the request.",
    });
    const d = triage(await s.input('exchange', ex, { code }));
    expect(d?.rule).toBe('json_body');
    expect(d?.cause).toMatch(/JSON body looks empty/);
    expect(d?.evidence[0]).toBe('Request Content-Type: application/json');
  });

  it('missing_field: invalid_request without description names the field', async () => {
    const s = new SimSession();
    const ex = await s.token('exchange', {
      grant_type: 'authorization_code',
      client_id: SIM_CLIENT.clientId,
      client_secret: SIM_CLIENT.clientSecret,
    });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_request' });
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('missing_field');
    expect(d.title).toBe('The token request is missing code');
  });

  it('unsupported_grant_type', async () => {
    const s = new SimSession();
    const ex = await s.token('exchange', {
      grant_type: 'password',
      client_id: SIM_CLIENT.clientId,
    });
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('unsupported_grant_type');
    expect(d.cause).toContain('"password"');
  });

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

/** Hand-built answers the simulator cannot give yet. */
function handMade(
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
const res = (
  status: number,
  body: string,
  headers: Array<[string, string]> = [['content-type', 'application/json']],
) => ({ status, statusText: '', headers, body, truncated: false });

describe('triage: hand-built transport failures', () => {
  it('rate_limited: Retry-After header', () => {
    const d = triage(
      handMade(
        res(429, '{"type":"throttled","detail":"Request was throttled."}', [
          ['content-type', 'application/json'],
          ['Retry-After', '13'],
        ]),
      ),
    );
    expect(d?.rule).toBe('rate_limited');
    expect(d?.next).toMatch(/^Wait 13 s/);
    expect(d?.evidence).toContain('Retry-After: 13');
  });

  it('rate_limited: "Expected available in N seconds" without the header', () => {
    const d = triage(
      handMade(
        res(
          429,
          '{"type":"throttled","detail":"Request was throttled. Expected available in 42 seconds."}',
        ),
      ),
    );
    expect(d?.next).toMatch(/^Wait 42 s/);
  });

  it('rate_limited: Retry-After as an HTTP date', () => {
    const d = triage(
      handMade(res(429, '{}', [['Retry-After', new Date(1_030_000).toUTCString()]])),
    );
    expect(d?.next).toMatch(/^Wait 30 s/);
  });

  it('upstream_5xx', () => {
    const d = triage(
      handMade(
        res(503, '<html>Service Unavailable</html>', [['content-type', 'text/html']]),
        null,
        'refresh',
      ),
    );
    expect(d?.rule).toBe('upstream_5xx');
    expect(d?.evidence.join(' ')).toMatch(/HTML page/);
    expect(d?.next).toMatch(/invalid_grant/);
  });

  it('upstream_html on a 200', () => {
    const d = triage(
      handMade(res(200, '<!doctype html><title>Login</title>', [['content-type', 'text/html']])),
    );
    expect(d?.rule).toBe('upstream_html');
  });

  it('upstream_timeout and upstream_unreachable', () => {
    const t = triage(
      handMade(null, { kind: 'timeout', message: 'no complete answer within 15000 ms' }, 'refresh'),
    );
    expect(t?.rule).toBe('upstream_timeout');
    expect(t?.cause).toMatch(/rotated/);
    const u = triage(
      handMade(null, { kind: 'unreachable', message: 'the host name could not be resolved (DNS)' }),
    );
    expect(u?.rule).toBe('upstream_unreachable');
    expect(u?.cause).toContain('DNS');
    expect(u?.next).toMatch(/PandaDoc US, not PandaDoc EU/);
  });

  it('upstream_malformed: broken JSON, empty bodies, token answers without access_token', () => {
    expect(triage(handMade(res(200, '{"user_id":')))?.rule).toBe('upstream_malformed');
    expect(triage(handMade(res(200, '')))?.rule).toBe('upstream_malformed');
    expect(triage(handMade(res(200, '[1,2]')))?.rule).toBe('upstream_malformed');
    const d = triage(handMade(res(200, '{"token_type":"Bearer"}'), null, 'refresh'));
    expect(d?.rule).toBe('upstream_malformed');
    expect(d?.cause).toMatch(/no access_token/);
  });

  it('unknown: shows the answer as received and guesses nothing', () => {
    const d = triage(
      handMade(
        res(400, '{"error":"temporarily_mysterious","error_description":"Zorp."}'),
        null,
        'refresh',
      ),
    );
    expect(d?.rule).toBe('unknown');
    expect(d?.cause).toBe('This debugger does not recognise this answer; here it is as received.');
    expect(d?.evidence).toEqual([
      'HTTP 400',
      'error: temporarily_mysterious',
      'error_description: Zorp.',
      'Body as received: {"error":"temporarily_mysterious","error_description":"Zorp."}',
    ]);
    expect(triage(handMade(res(418, '{"type":"teapot"}')))?.rule).toBe('unknown');
  });
});
