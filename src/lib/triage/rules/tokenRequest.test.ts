import { describe, expect, it } from 'vitest';
import { clock, readFacts, type Rule } from '../facts.ts';
import { SimSession, SIM_CLIENT, T0 } from '../fixtures.ts';
import type { HistoryLike } from '../history.ts';
import { triage } from '../index.ts';
import { diagnose } from '../testHelpers.ts';
import type { TriageInput } from '../types.ts';
import {
  badScopeName,
  jsonBody,
  missingField,
  scopeWidened,
  unsupportedGrantType,
  wrongSecret,
} from './tokenRequest.ts';

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
});

/** A token call answered `status` + `body`, the request sent as `contentType` with `requestBody`. */
function tokenCall(
  kind: 'exchange' | 'refresh' | 'verify',
  requestBody: string | null,
  response: { status: number; body: string },
  opts: {
    contentType?: string | null;
    environment?: 'us' | 'eu' | 'simulator';
    secretSource?: 'browser' | 'server' | 'none';
    history?: HistoryLike[];
  } = {},
): TriageInput {
  const contentType =
    opts.contentType === undefined ? 'application/x-www-form-urlencoded' : opts.contentType;
  return {
    kind,
    now: T0 + 1000,
    call: {
      startedAt: T0,
      durationMs: 200,
      request: {
        method: 'POST',
        url: 'https://api.pandadoc.com/oauth2/access_token',
        headers: contentType === null ? [] : [['Content-Type', contentType]],
        body: requestBody,
      },
      response: {
        status: response.status,
        statusText: '',
        headers: [['content-type', 'application/json']],
        body: response.body,
        truncated: false,
      },
      failure: null,
    },
    context: {
      history: opts.history ?? [],
      profile: {
        clientId: 'profile-client',
        redirectUri: 'http://127.0.0.1:5173/callback',
        environment: opts.environment ?? 'us',
      },
      secretSource: opts.secretSource,
    },
  };
}
const run = (rule: Rule, input: TriageInput) => rule(input, readFacts(input));
const FORM = 'grant_type=authorization_code&client_id=cid&client_secret=%5Bredacted%5D&code=abc';
const REFRESH_FORM =
  'grant_type=refresh_token&client_id=cid&client_secret=%5Bredacted%5D&refresh_token=rt';
const NO_GRANT = {
  status: 400,
  body: '{"error":"invalid_request","error_description":"No \'grant_type\' included in the request."}',
};
const worked = (at: number, kind: HistoryLike['kind'], clientId?: string): HistoryLike => ({
  at,
  kind,
  outcome: 'ok',
  status: 200,
  errorCode: null,
  fingerprints: {},
  clientId,
});

describe('json_body: the full diagnosis', () => {
  it('a JSON body under a JSON content type', () => {
    const input = tokenCall('exchange', '{"grant_type":"authorization_code"}', NO_GRANT, {
      contentType: 'Application/JSON; charset=utf-8',
    });
    expect(run(jsonBody, input)).toEqual({
      rule: 'json_body',
      severity: 'error',
      title: 'The token request must be a form, not JSON',
      cause:
        "PandaDoc's token endpoint reads only application/x-www-form-urlencoded bodies. A JSON body looks empty to it, so the first check (grant_type) fails.",
      next: 'Send Content-Type: application/x-www-form-urlencoded with grant_type, client_id, client_secret and code (or refresh_token), e.g. URLSearchParams in JavaScript or data= (not json=) in Python requests.',
      evidence: [
        'Request Content-Type: Application/JSON; charset=utf-8',
        'PandaDoc said: "No \'grant_type\' included in the request."',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B',
    });
  });

  it('a form without grant_type: the body may not have been form-encoded', () => {
    const input = tokenCall('refresh', 'client_id=cid&refresh_token=rt', NO_GRANT);
    expect(run(jsonBody, input)).toEqual({
      rule: 'json_body',
      severity: 'error',
      title: 'The token request must be a form, not JSON',
      cause:
        'PandaDoc found no grant_type in the form. Either the body was not form-encoded (JSON looks empty to it) or the field is missing.',
      next: 'Send Content-Type: application/x-www-form-urlencoded with grant_type, client_id, client_secret and code (or refresh_token), e.g. URLSearchParams in JavaScript or data= (not json=) in Python requests.',
      evidence: [
        'Request Content-Type: application/x-www-form-urlencoded',
        'PandaDoc said: "No \'grant_type\' included in the request."',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B',
    });
  });

  it('a JSON-looking body without any content type, any error', () => {
    const input = tokenCall(
      'exchange',
      '  [1]',
      { status: 400, body: '{"error":"invalid_client"}' },
      {
        contentType: null,
      },
    );
    expect(run(jsonBody, input)).toEqual({
      rule: 'json_body',
      severity: 'error',
      title: 'The token request must be a form, not JSON',
      cause:
        "PandaDoc's token endpoint reads only application/x-www-form-urlencoded bodies. A JSON body looks empty to it, so the first check (grant_type) fails.",
      next: 'Send Content-Type: application/x-www-form-urlencoded with grant_type, client_id, client_secret and code (or refresh_token), e.g. URLSearchParams in JavaScript or data= (not json=) in Python requests.',
      evidence: ['Request Content-Type: (none)'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B',
    });
  });

  it('a long description is shortened in the evidence; the lower-case wording still matches', () => {
    const description = "no 'grant_type' included in the request. " + 'x'.repeat(200);
    const input = tokenCall('exchange', FORM, {
      status: 400,
      body: JSON.stringify({ error: 'invalid_request', error_description: description }),
    });
    const d = run(jsonBody, input);
    expect(d?.rule).toBe('json_body');
    expect(d?.evidence[1]).toBe(`PandaDoc said: "${description.slice(0, 119)}…"`);
  });

  it('stays silent: JSON that worked, other errors on a form, a member call', () => {
    const ok = { status: 200, body: '{"access_token":"a"}' };
    expect(
      run(jsonBody, tokenCall('exchange', '{"code":"c"}', ok, { contentType: 'application/json' })),
    ).toBeNull();
    expect(
      run(
        jsonBody,
        tokenCall('exchange', FORM, { status: 400, body: '{"error":"invalid_grant"}' }),
      ),
    ).toBeNull();
    expect(
      run(
        jsonBody,
        tokenCall('exchange', FORM, {
          status: 400,
          body: '{"error":"invalid_request","error_description":"Other."}',
        }),
      ),
    ).toBeNull();
    expect(
      run(jsonBody, tokenCall('verify', '{"a":1}', NO_GRANT, { contentType: 'application/json' })),
    ).toBeNull();
    expect(
      run(jsonBody, tokenCall('exchange', 'x={', NO_GRANT, { contentType: 'text/plain' }))?.cause,
    ).toMatch(/^PandaDoc found no grant_type/);
  });
});

describe('unsupported_grant_type: the full diagnosis', () => {
  const answer = { status: 400, body: '{"error":"unsupported_grant_type"}' };
  it('at the exchange', () => {
    expect(
      run(unsupportedGrantType, tokenCall('exchange', 'grant_type=password&client_id=c', answer)),
    ).toEqual({
      rule: 'unsupported_grant_type',
      severity: 'error',
      title: 'PandaDoc does not support this grant_type',
      cause:
        'grant_type was "password"; PandaDoc accepts only authorization_code and refresh_token.',
      next: 'Send grant_type=authorization_code.',
      evidence: ['grant_type sent: password'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('at the refresh, grant_type unreadable', () => {
    expect(
      run(
        unsupportedGrantType,
        tokenCall('refresh', '{"grant_type":"x"}', answer, { contentType: 'application/json' }),
      ),
    ).toEqual({
      rule: 'unsupported_grant_type',
      severity: 'error',
      title: 'PandaDoc does not support this grant_type',
      cause:
        'grant_type was not readable; PandaDoc accepts only authorization_code and refresh_token.',
      next: 'Send grant_type=refresh_token.',
      evidence: ['grant_type sent: (none)'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('not for another error or a member call', () => {
    expect(run(unsupportedGrantType, tokenCall('exchange', FORM, NO_GRANT))).toBeNull();
    expect(run(unsupportedGrantType, tokenCall('verify', FORM, answer))).toBeNull();
  });
});

describe('wrong_secret: the full diagnosis for each source and region', () => {
  const answer = { status: 401, body: '{"error":"invalid_client"}' };
  it('typed in the browser, the client_id worked before (the latest success is quoted)', () => {
    const history = [
      worked(T0 - 9000, 'exchange', 'cid'),
      worked(T0 - 7000, 'refresh'),
      worked(T0 - 6000, 'exchange', 'someone-else'),
      { ...worked(T0 - 5000, 'refresh', 'cid'), outcome: 'error' as const },
      worked(T0 - 4000, 'verify', 'cid'),
    ];
    const input = tokenCall('exchange', FORM, answer, { secretSource: 'browser', history });
    expect(run(wrongSecret, input)).toEqual({
      rule: 'wrong_secret',
      severity: 'error',
      title: 'PandaDoc did not accept the client_id and client_secret',
      cause:
        'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. The client_id worked before, so the secret is the suspect. The secret was typed in this browser: look for a copy-paste slip, a stray space, or the secret of another app.',
      next: "Copy the client secret again from the app's settings in PandaDoc's developer dashboard, and check the profile environment (US or EU) matches where the app was created.",
      evidence: [
        'client_id sent: cid',
        `This client_id worked in the refresh at ${clock(T0 + -7000)} (attempt 1), so PandaDoc knows it.`,
        'client_secret source: typed in the browser',
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('held by the server for PandaDoc EU, never worked', () => {
    const input = tokenCall('refresh', REFRESH_FORM, answer, {
      secretSource: 'server',
      environment: 'eu',
    });
    expect(run(wrongSecret, input)).toEqual({
      rule: 'wrong_secret',
      severity: 'error',
      title: 'PandaDoc did not accept the client_id and client_secret',
      cause:
        'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. The secret came from the local server (PANDADOC_EU_CLIENT_SECRET): it may belong to another app, or be an old one. The app may also live in the other region: apps created on app.pandadoc.com are unknown to PandaDoc EU.',
      next: "Copy the client secret again from the app's settings in PandaDoc's developer dashboard, and check the profile environment (US or EU) matches where the app was created.",
      evidence: ['client_id sent: cid', 'client_secret source: held by the local server'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('held by the server for PandaDoc US', () => {
    const input = tokenCall('exchange', FORM, answer, {
      secretSource: 'server',
      environment: 'us',
    });
    expect(run(wrongSecret, input)).toEqual({
      rule: 'wrong_secret',
      severity: 'error',
      title: 'PandaDoc did not accept the client_id and client_secret',
      cause:
        'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. The secret came from the local server (PANDADOC_US_CLIENT_SECRET): it may belong to another app, or be an old one. The app may also live in the other region: apps created on app.pandadoc.eu are unknown to PandaDoc US.',
      next: "Copy the client secret again from the app's settings in PandaDoc's developer dashboard, and check the profile environment (US or EU) matches where the app was created.",
      evidence: ['client_id sent: cid', 'client_secret source: held by the local server'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('held by the server for the simulator', () => {
    const input = tokenCall('exchange', FORM, answer, {
      secretSource: 'server',
      environment: 'simulator',
    });
    expect(run(wrongSecret, input)).toEqual({
      rule: 'wrong_secret',
      severity: 'error',
      title: 'PandaDoc did not accept the client_id and client_secret',
      cause:
        'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. The secret came from the local server (SIM_CLIENT_SECRET), so the simulator demo app and the server disagree.',
      next: "Copy the client secret again from the app's settings in PandaDoc's developer dashboard.",
      evidence: ['client_id sent: cid', 'client_secret source: held by the local server'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('none sent, not a form: the profile client_id is named', () => {
    const input = tokenCall('exchange', '{}', answer, {
      secretSource: 'none',
      contentType: 'application/json',
      environment: 'simulator',
    });
    expect(run(wrongSecret, input)).toEqual({
      rule: 'wrong_secret',
      severity: 'error',
      title: 'PandaDoc did not accept the client_id and client_secret',
      cause:
        'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. No client_secret was sent at all: PandaDoc always requires one (it has no PKCE-only clients).',
      next: 'Type the client secret in the profile, or start the server with the environment variable that holds it.',
      evidence: ['client_id sent: profile-client', 'client_secret source: none sent'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('source unknown', () => {
    const input = tokenCall('exchange', FORM, answer, { environment: 'us' });
    expect(run(wrongSecret, input)).toEqual({
      rule: 'wrong_secret',
      severity: 'error',
      title: 'PandaDoc did not accept the client_id and client_secret',
      cause:
        'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. The secret may be wrong, or belong to another app. The app may also live in the other region: apps created on app.pandadoc.eu are unknown to PandaDoc US.',
      next: "Copy the client secret again from the app's settings in PandaDoc's developer dashboard, and check the profile environment (US or EU) matches where the app was created.",
      evidence: ['client_id sent: cid'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('none sent on PandaDoc US', () => {
    const input = tokenCall('exchange', FORM, answer, { secretSource: 'none', environment: 'us' });
    expect(run(wrongSecret, input)?.next).toBe(
      'Type the client secret in the profile, or start the server with the environment variable that holds it.',
    );
  });
  it('not for a member call or another error', () => {
    expect(run(wrongSecret, tokenCall('verify', FORM, answer))).toBeNull();
    expect(run(wrongSecret, tokenCall('exchange', FORM, NO_GRANT))).toBeNull();
  });
});

describe('bad_scope_name: the full diagnosis', () => {
  const said = (name: string) => ({
    status: 400,
    body: JSON.stringify({
      error: 'invalid_request',
      error_description: `'${name}' is not a valid scope.`,
    }),
  });
  it('a name common elsewhere, at the refresh', () => {
    expect(
      run(
        badScopeName,
        tokenCall('refresh', REFRESH_FORM + '&scope=offline_access', said('offline_access')),
      ),
    ).toEqual({
      rule: 'bad_scope_name',
      severity: 'error',
      title: '"offline_access" is not a PandaDoc scope',
      cause:
        'PandaDoc knows three scope names only: read, write and read+write. It splits the scope on spaces and rejects anything else — "offline_access" is common elsewhere but does not exist here.',
      next: 'Send scope=read+write (or leave scope out of the token request: the refresh keeps the old grant).',
      evidence: [
        'PandaDoc said: "\'offline_access\' is not a valid scope."',
        'scope sent (decoded): "offline_access"',
      ],
      docs: 'https://developers.pandadoc.com/reference/authentication-process',
    });
  });
  it('common elsewhere means the name itself, in any case', () => {
    const cause = (name: string) =>
      run(badScopeName, tokenCall('exchange', FORM, said(name)))?.cause;
    expect(cause('OpenID')).toMatch(/"OpenID" is common elsewhere/);
    expect(cause('myopenid')).toMatch(/rejects anything else\.$/);
  });
  it('a name made up, scope not readable in the request', () => {
    expect(
      run(
        badScopeName,
        tokenCall('exchange', '{}', said('admin'), { contentType: 'application/json' }),
      ),
    ).toEqual({
      rule: 'bad_scope_name',
      severity: 'error',
      title: '"admin" is not a PandaDoc scope',
      cause:
        'PandaDoc knows three scope names only: read, write and read+write. It splits the scope on spaces and rejects anything else.',
      next: 'Send scope=read+write (or leave scope out of the token request: the grant from the authorize step is used).',
      evidence: ['PandaDoc said: "\'admin\' is not a valid scope."'],
      docs: 'https://developers.pandadoc.com/reference/authentication-process',
    });
  });
  it('an empty scope sent is still quoted', () => {
    expect(run(badScopeName, tokenCall('exchange', FORM + '&scope=', said('')))?.evidence).toEqual([
      'PandaDoc said: "\'\' is not a valid scope."',
      'scope sent (decoded): ""',
    ]);
  });
  it('not for other descriptions, other errors, or member calls', () => {
    expect(run(badScopeName, tokenCall('exchange', FORM, NO_GRANT))).toBeNull();
    expect(
      run(
        badScopeName,
        tokenCall('exchange', FORM, {
          status: 400,
          body: '{"error":"invalid_scope","error_description":"\'x\' is not a valid scope."}',
        }),
      ),
    ).toBeNull();
    expect(run(badScopeName, tokenCall('verify', FORM, said('x')))).toBeNull();
    expect(
      run(
        badScopeName,
        tokenCall('exchange', FORM, {
          status: 400,
          body: '{"error":"invalid_request","error_description":"x is not a valid scope"}',
        }),
      ),
    ).toBeNull();
  });
});

describe('missing_field: the full diagnosis', () => {
  const bare = { status: 400, body: '{"error":"invalid_request"}' };
  it('a refresh with an empty refresh_token and no client_secret: empty counts as missing', () => {
    expect(
      run(
        missingField,
        tokenCall(
          'refresh',
          'grant_type=refresh_token&client_id=cid&refresh_token=&refresh_token=',
          bare,
        ),
      ),
    ).toEqual({
      rule: 'missing_field',
      severity: 'error',
      title: 'The token request is missing client_secret, refresh_token',
      cause:
        "invalid_request with no description: PandaDoc's answer when refresh_token (or another required field) is absent or empty.",
      next: 'Send client_id, client_secret, refresh_token and grant_type in the form body.',
      evidence: ['Fields sent: grant_type, client_id, refresh_token'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('everything sent, no description', () => {
    expect(run(missingField, tokenCall('exchange', FORM, bare))).toEqual({
      rule: 'missing_field',
      severity: 'error',
      title: 'PandaDoc says a required field is missing',
      cause:
        "invalid_request with no description: PandaDoc's answer when code (or another required field) is absent or empty.",
      next: 'Send client_id, client_secret, code and grant_type in the form body.',
      evidence: ['Fields sent: grant_type, client_id, client_secret, code'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('not a form at all', () => {
    expect(
      run(
        missingField,
        tokenCall('exchange', '{"code":"c"}', bare, { contentType: 'application/json' }),
      ),
    ).toEqual({
      rule: 'missing_field',
      severity: 'error',
      title: 'The token request is missing client_id, client_secret, code',
      cause:
        "invalid_request with no description: PandaDoc's answer when code (or another required field) is absent or empty.",
      next: 'Send client_id, client_secret, code and grant_type in the form body.',
      evidence: ['Fields sent: (not a form)'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    });
  });
  it('a form with no fields', () => {
    expect(run(missingField, tokenCall('exchange', '&', bare))?.evidence).toEqual([
      'Fields sent: (none)',
    ]);
  });
  it('a field missing with a description it does not know still names the field', () => {
    const d = run(
      missingField,
      tokenCall('exchange', 'grant_type=authorization_code&client_id=c&client_secret=s', {
        status: 400,
        body: '{"error":"invalid_request","error_description":"Something."}',
      }),
    );
    expect(d?.title).toBe('The token request is missing code');
  });
  it('everything sent with a description it does not know: left to unknown', () => {
    expect(
      run(
        missingField,
        tokenCall('exchange', FORM, {
          status: 400,
          body: '{"error":"invalid_request","error_description":"Something."}',
        }),
      ),
    ).toBeNull();
    expect(run(missingField, tokenCall('verify', '', bare))).toBeNull();
    expect(
      run(
        missingField,
        tokenCall('exchange', '', { status: 400, body: '{"error":"invalid_grant"}' }),
      ),
    ).toBeNull();
  });
});

describe('scope_widened: the full diagnosis', () => {
  const answer = { status: 400, body: '{"error":"invalid_scope"}' };
  it('at the refresh', () => {
    expect(
      run(scopeWidened, tokenCall('refresh', REFRESH_FORM + '&scope=read+write', answer)),
    ).toEqual({
      rule: 'scope_widened',
      severity: 'error',
      title: 'The token request asked for more scope than the user granted',
      cause: 'A refresh may keep or narrow the scope of the original grant, never widen it.',
      next: 'Leave scope out of the refresh. For more access, authorize again with scope=read+write.',
      evidence: ['scope sent (decoded): "read write"'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.3',
    });
  });
  it('at the exchange, no scope sent', () => {
    expect(run(scopeWidened, tokenCall('exchange', FORM, answer))).toEqual({
      rule: 'scope_widened',
      severity: 'error',
      title: 'The token request asked for more scope than the user granted',
      cause:
        'The scope at the token endpoint must fit inside what the user approved at the authorize step (read only, when authorize carried no scope).',
      next: 'Leave scope out of the exchange, or authorize again asking for scope=read+write.',
      evidence: ['scope sent (decoded): (none: read)'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.3',
    });
  });
  it('not for other errors or member calls', () => {
    expect(run(scopeWidened, tokenCall('exchange', FORM, NO_GRANT))).toBeNull();
    expect(run(scopeWidened, tokenCall('verify', FORM, answer))).toBeNull();
  });
});
