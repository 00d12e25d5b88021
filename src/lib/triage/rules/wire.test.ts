/**
 * The wire rules, on calls a developer's own code would send, answered by the real simulator and
 * triaged the way the Traffic section triages its capture (triageRecording).
 */
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulator } from '../../../server/simulator/app.ts';
import { SimulatorCore } from '../../../server/simulator/state.ts';
import type { EnvironmentId } from '../../oauth/environments.ts';
import { fingerprint } from '../../fingerprint.ts';
import { captureKind } from '../../traffic/describe.ts';
import {
  changedBy,
  judgeCaptured,
  triageRecording,
  type ListedCall,
  type RecordedCall,
} from '../../traffic/triageCalls.ts';
import { clock, readFacts, type Rule } from '../facts.ts';
import type { TriageInput } from '../types.ts';
import {
  apiKeyOnTokenCall,
  bearerMalformed,
  bearerProblem,
  codeExchangedTwice,
  refreshRace,
  refreshWithCode,
  regionMismatch,
  tokenQueryString,
  type WireContext,
  type WireEntry,
} from './wire.ts';

const ORIGIN = 'http://127.0.0.1:5173';
const CLIENT = { clientId: 'sim-demo-client-0d6f3b', clientSecret: 'sim-demo-secret-8a41c7e2b9' };
const T0 = Date.UTC(2025, 0, 6, 10, 31, 5);

/** A developer's integration talking to the simulator, every call recorded as on the wire. */
class Wire {
  clock = T0;
  readonly core = new SimulatorCore({
    ...CLIENT,
    redirectUri: `${ORIGIN}/callback`,
    now: () => this.clock,
  });
  readonly app = new Hono().route('/sim', createSimulator(this.core));
  readonly calls: RecordedCall[] = [];

  async code(): Promise<string> {
    const form = new URLSearchParams({
      client_id: CLIENT.clientId,
      response_type: 'code',
      scope: 'read+write',
      state: 's',
      decision: 'allow',
    });
    const res = await this.app.request(`${ORIGIN}/sim/oauth2/authorize`, {
      method: 'POST',
      body: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    return new URL(res.headers.get('Location') ?? '').searchParams.get('code') ?? '';
  }

  /** Sends a request; `at` and `ms` place it in time (overlaps make races). */
  async send(
    path: string,
    init: { method?: string; headers?: [string, string][]; body?: string },
    opts: { at?: number; ms?: number; upstream?: EnvironmentId } = {},
  ): Promise<RecordedCall> {
    const url = `${ORIGIN}/sim${path}`;
    const headers = init.headers ?? [];
    const res = await this.app.request(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body,
    });
    const call: RecordedCall = {
      startedAt: opts.at ?? this.clock,
      durationMs: opts.ms ?? 20,
      upstream: opts.upstream ?? 'simulator',
      request: { method: init.method ?? 'GET', url, headers, body: init.body ?? null },
      response: {
        status: res.status,
        statusText: res.statusText,
        headers: [...res.headers.entries()],
        body: await res.text(),
        truncated: false,
      },
      failure: null,
    };
    this.calls.push(call);
    this.clock += 1000;
    return call;
  }

  token(fields: Record<string, string>, opts?: Parameters<Wire['send']>[2]) {
    return this.send(
      '/oauth2/access_token',
      {
        method: 'POST',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: new URLSearchParams({ ...CLIENT_FIELDS, ...fields }).toString(),
      },
      opts,
    );
  }

  member(authorization: string, opts?: Parameters<Wire['send']>[2]) {
    return this.send(
      '/public/v1/members/current',
      { headers: [['Authorization', authorization]] },
      opts,
    );
  }

  /** The diagnoses of the last call (or of call `i`). */
  async diagnoses(i = this.calls.length - 1) {
    const [t] = await triageRecording(this.calls, (_c, j) => `call #${j + 1}`, [i]);
    return t!.diagnoses;
  }
}

const CLIENT_FIELDS = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
const tokensOf = (call: RecordedCall) =>
  JSON.parse(call.response!.body) as { access_token: string; refresh_token: string };

let wire: Wire;
beforeEach(() => {
  wire = new Wire();
});

describe('token request built wrong', () => {
  it('a JSON body is named as such', async () => {
    const code = await wire.code();
    await wire.send('/oauth2/access_token', {
      method: 'POST',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ grant_type: 'authorization_code', ...CLIENT_FIELDS, code }),
    });
    const [d] = await wire.diagnoses();
    expect(d).toMatchObject({ rule: 'json_body', severity: 'error' });
  });

  it('fields in the query string instead of the body', async () => {
    const code = await wire.code();
    const query = new URLSearchParams({ grant_type: 'authorization_code', ...CLIENT_FIELDS, code });
    await wire.send(`/oauth2/access_token?${query}`, { method: 'POST' });
    const [d] = await wire.diagnoses();
    expect(d?.rule).toBe('token_query_string');
    expect(d?.evidence[0]).toBe(
      'Fields in the query string: grant_type, client_id, client_secret, code',
    );
  });

  it("grant_type=refresh_token with a code, as the SDK's example has it", async () => {
    const code = await wire.code();
    await wire.token({ grant_type: 'refresh_token', code });
    const [d] = await wire.diagnoses();
    expect(d).toMatchObject({ rule: 'refresh_with_code', severity: 'error' });
    expect(d?.cause).toContain('which is missing');
    // The example's placeholder refresh token too: refused, and still the same mistake.
    await wire.token({ grant_type: 'refresh_token', code, refresh_token: 'refresh_token_example' });
    expect((await wire.diagnoses())[0]?.rule).toBe('refresh_with_code');
  });

  it("the SDK's API-Key header on a token call is a warning, even when the call works", async () => {
    const code = await wire.code();
    await wire.send('/oauth2/access_token', {
      method: 'POST',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Authorization', `API-Key ${'a'.repeat(40)}`],
      ],
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        ...CLIENT_FIELDS,
        code,
      }).toString(),
    });
    expect(wire.calls[0]?.response?.status).toBe(200);
    const all = await wire.diagnoses();
    expect(all.map((d) => [d.rule, d.severity])).toEqual([['api_key_on_token_call', 'warning']]);
    expect(JSON.stringify(all)).not.toContain('a'.repeat(40));
  });
});

describe('what several calls show together', () => {
  it('a code exchanged twice: the second names the first', async () => {
    const code = await wire.code();
    await wire.token({ grant_type: 'authorization_code', code });
    await wire.token({ grant_type: 'authorization_code', code });
    const [d] = await wire.diagnoses();
    expect(d).toMatchObject({ rule: 'code_reused', title: 'This code was exchanged twice' });
    expect(d?.cause).toContain('Call #1 sent the same code');
    expect(d?.evidence[0]).toContain(await fingerprint(code));
    expect(JSON.stringify(d)).not.toContain(code);
    // The first one is fine.
    expect(await wire.diagnoses(0)).toEqual([]);
  });

  it('two refreshes with one refresh token at once: the loser is told it lost a race', async () => {
    const code = await wire.code();
    const first = tokensOf(await wire.token({ grant_type: 'authorization_code', code }));
    const at = wire.clock;
    await wire.token(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      { at, ms: 80 },
    );
    await wire.token(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      { at: at + 5, ms: 60 },
    );
    const [d] = await wire.diagnoses();
    expect(d?.rule).toBe('refresh_race');
    expect(d?.cause).toContain('Call #2 refreshed with the same refresh token');
    expect(await wire.diagnoses(1)).toEqual([]);
  });

  it('a refresh token reused later (no overlap) is a rotation, not a race', async () => {
    const code = await wire.code();
    const first = tokensOf(await wire.token({ grant_type: 'authorization_code', code }));
    await wire.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    await wire.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect((await wire.diagnoses())[0]?.rule).toBe('refresh_rotated');
  });

  it('an access token used after its refresh', async () => {
    const code = await wire.code();
    const first = tokensOf(await wire.token({ grant_type: 'authorization_code', code }));
    await wire.member(`Bearer ${first.access_token}`);
    await wire.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    await wire.member(`Bearer ${first.access_token}`);
    const [d] = await wire.diagnoses();
    expect(d).toMatchObject({
      rule: 'api_unauthorized',
      title: 'This access token was replaced by a refresh',
    });
  });

  it('a US call with a token the EU region issued', async () => {
    const code = await wire.code();
    // The simulator stands in for both regions: only the recorded upstream differs.
    const first = tokensOf(
      await wire.token({ grant_type: 'authorization_code', code }, { upstream: 'eu' }),
    );
    // The US region has never seen that token: another simulator stands in for it.
    const us = new Wire();
    us.clock = wire.clock;
    wire.calls.push(await us.member(`Bearer ${first.access_token}`, { upstream: 'us' }));
    const [d] = await wire.diagnoses();
    expect(d).toMatchObject({
      rule: 'region_mismatch',
      title: 'This access token belongs to PandaDoc EU, but the call went to PandaDoc US',
    });
  });
});

describe('a Bearer header with quotes or a line break', () => {
  it('names what is wrong with the header', async () => {
    const code = await wire.code();
    const { access_token } = tokensOf(await wire.token({ grant_type: 'authorization_code', code }));
    await wire.member(`Bearer "${access_token}"`);
    const [d] = await wire.diagnoses();
    expect(d?.rule).toBe('bearer_malformed');
    expect(d?.cause).toContain('the token is wrapped in quotes');
    expect(JSON.stringify(d)).not.toContain(access_token);
  });

  it.each([
    ['Bearer abcdef\\n', 'it contains an escaped line break (\\n or %0A)'],
    ['Bearer abc%0A', 'it contains an escaped line break (\\n or %0A)'],
    ["Bearer 'abc'", 'the token is wrapped in quotes'],
    ['Bearer Bearer abc', 'it says Bearer twice'],
    ['Bearer abc def', 'the token has a space in it'],
    ['Bearer abc\n', 'it contains a line break'],
    ['Bearer 2ff2dfe36322448c6953616740a910be57bbd4ca', null],
    ['API-Key 2ff2dfe36322448c6953616740a910be57bbd4ca', null],
  ])('%j → %s', (header, problem) => {
    expect(bearerProblem(header)).toBe(problem);
  });
});

/** A hand-built call and its recording, for each rule called directly. */
function onWire(
  kind: TriageInput['kind'],
  over: {
    url?: string;
    body?: string | null;
    headers?: Array<[string, string]>;
    status?: number | null;
    answer?: string;
    durationMs?: number;
    wire?: Partial<WireContext>;
    code?: boolean;
  } = {},
): TriageInput {
  const status = over.status === undefined ? 400 : over.status;
  return {
    kind,
    now: T0 + 1000,
    call: {
      startedAt: T0,
      durationMs: over.durationMs ?? 0,
      request: {
        method: kind === 'verify' ? 'GET' : 'POST',
        url: over.url ?? 'https://api.pandadoc.com/oauth2/access_token',
        headers: over.headers ?? [['Content-Type', 'application/x-www-form-urlencoded']],
        body: over.body === undefined ? null : over.body,
      },
      response:
        status === null
          ? null
          : {
              status,
              statusText: '',
              headers: [['content-type', 'application/json']],
              body: over.answer ?? '{"error":"invalid_grant"}',
              truncated: false,
            },
      failure: status === null ? { kind: 'unreachable', message: 'x' } : null,
    },
    context: {
      history: [],
      code: over.code ? { fingerprint: 'fp-c', capturedAt: T0 - 1000 } : undefined,
      profile: { clientId: 'c', redirectUri: 'r', environment: 'us' },
      wire: over.wire ? { upstream: 'us', sent: {}, others: [], ...over.wire } : undefined,
    },
  };
}
const run = (rule: Rule, input: TriageInput) => rule(input, readFacts(input));
const other = (
  at: number,
  kind: WireEntry['kind'],
  fingerprints: WireEntry['fingerprints'],
  more: Partial<WireEntry> = {},
): WireEntry => ({
  at,
  kind,
  outcome: 'ok',
  status: 200,
  errorCode: null,
  fingerprints,
  upstream: 'us',
  durationMs: 0,
  label: 'call #1 (curl)',
  ...more,
});
const NO_GRANT =
  '{"error":"invalid_request","error_description":"No \'grant_type\' included in the request."}';

describe('token_query_string: the full diagnosis', () => {
  it('an exchange with its fields in the URL', () => {
    const url =
      'https://api.pandadoc.com/oauth2/access_token?grant_type=authorization_code&code=k&client_id=c&x=1';
    expect(run(tokenQueryString, onWire('exchange', { url, answer: NO_GRANT }))).toEqual({
      rule: 'token_query_string',
      severity: 'error',
      title: 'The token request sent its fields in the URL, not in the body',
      cause:
        'PandaDoc reads grant_type, client_id, client_secret and code from a form body only. These were in the query string, so the body looked empty ("No \'grant_type\' included in the request."). A secret in a URL also ends up in proxy and server logs.',
      next: 'POST the fields as an application/x-www-form-urlencoded body (URLSearchParams as the fetch body; data= in Python requests; --data-urlencode in curl) and keep the URL bare.',
      evidence: ['Fields in the query string: grant_type, client_id, code'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B',
    });
  });
  it('a refresh, the URL not absolute, no description', () => {
    const url = '/oauth2/access_token?refresh_token=r&client_secret=s';
    expect(
      run(tokenQueryString, onWire('refresh', { url, answer: '{"error":"invalid_request"}' })),
    ).toEqual({
      rule: 'token_query_string',
      severity: 'error',
      title: 'The token request sent its fields in the URL, not in the body',
      cause:
        'PandaDoc reads grant_type, client_id, client_secret and refresh_token from a form body only. These were in the query string, so the body looked empty. A secret in a URL also ends up in proxy and server logs.',
      next: 'POST the fields as an application/x-www-form-urlencoded body (URLSearchParams as the fetch body; data= in Python requests; --data-urlencode in curl) and keep the URL bare.',
      evidence: ['Fields in the query string: client_secret, refresh_token'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B',
    });
  });
  it('stays silent when the body has grant_type, the call worked or never answered, or the URL is bare', () => {
    const url = 'https://api.pandadoc.com/oauth2/access_token?code=k';
    expect(
      run(tokenQueryString, onWire('exchange', { url, body: 'grant_type=authorization_code' })),
    ).toBeNull();
    expect(
      run(
        tokenQueryString,
        onWire('exchange', {
          url,
          status: 200,
          answer: '{"access_token":"a","token_type":"Bearer"}',
        }),
      ),
    ).toBeNull();
    expect(run(tokenQueryString, onWire('exchange', { url, status: null }))).toBeNull();
    expect(run(tokenQueryString, onWire('verify', { url }))).toBeNull();
    expect(
      run(
        tokenQueryString,
        onWire('exchange', { url: 'https://api.pandadoc.com/oauth2/access_token?scope=read' }),
      ),
    ).toBeNull();
    expect(run(tokenQueryString, onWire('exchange', { url, body: 'code=k' }))?.rule).toBe(
      'token_query_string',
    );
  });
});

describe('refresh_with_code: the full diagnosis', () => {
  it('with a refresh_token too', () => {
    expect(
      run(
        refreshWithCode,
        onWire('refresh', { body: 'grant_type=refresh_token&code=k&refresh_token=r&code=k2' }),
      ),
    ).toEqual({
      rule: 'refresh_with_code',
      severity: 'error',
      title: 'grant_type=refresh_token was sent with a code',
      cause:
        'A code is exchanged with grant_type=authorization_code. With grant_type=refresh_token PandaDoc ignores the code and looks for a refresh_token, and refuses the one sent. The SDK\'s documentation example of accessToken() does exactly this: it sets grantType "refresh_token" next to a code.',
      next: "For the first exchange send grant_type=authorization_code with the code (SDK: accessToken({ grantType: 'authorization_code', clientId, clientSecret, code })); send refresh_token only when refreshing, without a code.",
      evidence: ['grant_type sent: refresh_token', 'Fields sent: grant_type, code, refresh_token'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('without a refresh_token', () => {
    expect(
      run(
        refreshWithCode,
        onWire('exchange', { body: 'grant_type=refresh_token&code=k&refresh_token=' }),
      )?.cause,
    ).toMatch(/looks for a refresh_token, which is missing\. /);
  });
  it('stays silent for a proper exchange, a refresh without a code, a call that worked, or no form', () => {
    expect(
      run(refreshWithCode, onWire('exchange', { body: 'grant_type=authorization_code&code=k' })),
    ).toBeNull();
    expect(
      run(refreshWithCode, onWire('refresh', { body: 'grant_type=refresh_token&code=' })),
    ).toBeNull();
    expect(
      run(
        refreshWithCode,
        onWire('refresh', {
          body: 'grant_type=refresh_token&code=k',
          status: 200,
          answer: '{"access_token":"a","token_type":"Bearer"}',
        }),
      ),
    ).toBeNull();
    expect(
      run(
        refreshWithCode,
        onWire('refresh', { body: 'grant_type=refresh_token&code=k', status: null }),
      ),
    ).toBeNull();
    expect(
      run(
        refreshWithCode,
        onWire('refresh', { body: 'grant_type=refresh_token&code=k', headers: [] }),
      ),
    ).toBeNull();
  });
});

describe('api_key_on_token_call: the full diagnosis', () => {
  it('any case, leading spaces, even when the call worked', () => {
    const headers: Array<[string, string]> = [['authorization', '  api-KEY abc']];
    expect(
      run(
        apiKeyOnTokenCall,
        onWire('refresh', {
          headers,
          status: 200,
          answer: '{"access_token":"a","token_type":"Bearer"}',
        }),
      ),
    ).toEqual({
      rule: 'api_key_on_token_call',
      severity: 'warning',
      title: 'The token request carried an API-Key Authorization header',
      cause:
        'The token endpoint needs no Authorization header (the client authenticates with client_id and client_secret in the form). The official Node SDK attaches its apiKey auth method to every call, the token call included, when the configuration has one: your API key travels, and may be logged, where it is not needed.',
      next: 'Use a configuration without apiKey for OAuth20AuthenticationApi (createConfiguration({ baseServer }) only), and one with oauth2: { accessToken } for the API calls.',
      evidence: ['Request header: Authorization: API-Key …'],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('not for other schemes, a member call, or no header', () => {
    expect(
      run(apiKeyOnTokenCall, onWire('exchange', { headers: [['Authorization', 'API-Keys x']] })),
    ).toBeNull();
    expect(
      run(apiKeyOnTokenCall, onWire('exchange', { headers: [['Authorization', 'Bearer x']] })),
    ).toBeNull();
    expect(
      run(apiKeyOnTokenCall, onWire('verify', { headers: [['Authorization', 'API-Key x']] })),
    ).toBeNull();
    expect(run(apiKeyOnTokenCall, onWire('exchange', { headers: [] }))).toBeNull();
  });
});

describe('code exchanged twice on the wire: the full diagnosis', () => {
  const sent = { code: 'fp-c' };
  it('names the refresh that replaced the first pair instead of calling it good', () => {
    const others = [
      other(T0 - 5000, 'exchange', {
        code: 'fp-c',
        newAccessToken: 'fp-a',
        newRefreshToken: 'fp-r',
      }),
      other(
        T0 - 3000,
        'refresh',
        { refreshToken: 'fp-r', newRefreshToken: 'fp-r2' },
        { label: 'call #2 (curl)' },
      ),
    ];
    const d = run(codeExchangedTwice, onWire('exchange', { wire: { sent, others } }));
    expect(d?.next).toMatch(
      new RegExp(
        `replaced by call #2 \\(curl\\) at ${clock(T0 - 3000)}: keep that refresh's tokens\\.$`,
      ),
    );
    expect(d?.next).not.toMatch(/still good|Nothing in this recording/);
  });

  it('the first worked, answered before this one was sent but at once with it', () => {
    const others = [
      other(T0 - 5000, 'exchange', { code: 'fp-other' }),
      other(T0 - 50, 'exchange', { code: 'fp-c', newAccessToken: 'fp-a' }, { durationMs: 10 }),
    ];
    expect(
      run(codeExchangedTwice, onWire('exchange', { wire: { sent, others }, durationMs: 300 })),
    ).toEqual({
      rule: 'code_reused',
      severity: 'error',
      title: 'This code was exchanged twice',
      cause: `PandaDoc codes work once. Call #1 (curl) sent the same code at ${clock(T0 + -1000)} and got the tokens, 50 ms before this call started: two handlers (or a retry) raced with one code.`,
      next: 'Exchange each code once: guard the callback handler against running twice (a page reload, a double-submitted form, a retry on timeout) and keep the tokens from the first exchange. Nothing in this recording refreshed the pair from the first exchange, so use it rather than authorizing again (unless it was refreshed elsewhere).',
      evidence: [
        `Code fp-c was sent by call #1 (curl) at ${clock(T0 + -1000)} (it worked) and again by this call at ${clock(T0 + 0)}.`,
        'That exchange returned access token fp-a.',
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('the first failed earlier, with no answer', () => {
    const others = [
      other(
        T0 - 5000,
        'exchange',
        { code: 'fp-c' },
        { outcome: 'error', status: null, label: 'call #3' },
      ),
      other(
        T0 + 5000,
        'exchange',
        { code: 'fp-c' },
        { outcome: 'error', status: 400, errorCode: 'invalid_grant' },
      ),
    ];
    expect(run(codeExchangedTwice, onWire('exchange', { wire: { sent, others } }))).toEqual({
      rule: 'code_reused',
      severity: 'error',
      title: 'This code was exchanged twice',
      cause: `PandaDoc codes work once. Call #3 sent the same code at ${clock(T0 + -5000)} (no answer), so this second exchange is refused with invalid_grant.`,
      next: 'Exchange each code once: guard the callback handler against running twice (a page reload, a double-submitted form, a retry on timeout) and keep the tokens from the first exchange.',
      evidence: [
        `Code fp-c was sent by call #3 at ${clock(T0 + -5000)} (failed) and again by this call at ${clock(T0 + 0)}.`,
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
  });
  it('a failed first attempt names its error', () => {
    const others = [
      other(
        T0 - 5000,
        'exchange',
        { code: 'fp-c' },
        { outcome: 'error', status: 504, errorCode: 'http_504' },
      ),
    ];
    const d = run(codeExchangedTwice, onWire('exchange', { wire: { sent, others } }));
    expect(d?.cause).toMatch(/at .{8} \(http_504\), so this second/);
    expect(d?.evidence[0]).toMatch(/ \(http_504\) and again by this call/);
  });
  it('"at once" is within 100 ms of the start, or overlapping', () => {
    const cause = (at: number, durationMs = 0) =>
      run(
        codeExchangedTwice,
        onWire('exchange', {
          wire: { sent, others: [other(at, 'exchange', sent, { durationMs })] },
        }),
      )?.cause;
    // Only calls under way together are said to be; others, how far apart they started.
    expect(cause(T0 + 100)).toMatch(/, 100 ms after this call started: two handlers/);
    expect(cause(T0 - 100)).toMatch(/, 100 ms before this call started: two handlers/);
    expect(cause(T0 - 101)).toMatch(/so this second exchange is refused/);
    expect(cause(T0 - 1000, 900)).toMatch(/so this second exchange is refused/);
    expect(cause(T0 - 1000, 1000)).toMatch(/while this call was still under way/);
  });
  it("stays silent for the app's own exchange, other errors, a later failure only, or no code", () => {
    const others = [other(T0 - 5000, 'exchange', sent)];
    expect(
      run(codeExchangedTwice, onWire('exchange', { wire: { sent, others }, code: true })),
    ).toBeNull();
    expect(
      run(
        codeExchangedTwice,
        onWire('exchange', { wire: { sent, others }, answer: '{"error":"invalid_client"}' }),
      ),
    ).toBeNull();
    expect(run(codeExchangedTwice, onWire('refresh', { wire: { sent, others } }))).toBeNull();
    expect(run(codeExchangedTwice, onWire('exchange', { wire: { sent: {}, others } }))).toBeNull();
    expect(run(codeExchangedTwice, onWire('exchange'))).toBeNull();
    const later = [other(T0 + 10, 'exchange', sent, { outcome: 'error', status: 400 })];
    expect(
      run(codeExchangedTwice, onWire('exchange', { wire: { sent, others: later } })),
    ).toBeNull();
    expect(
      run(
        codeExchangedTwice,
        onWire('exchange', { wire: { sent, others: [other(T0 - 5000, 'refresh', sent)] } }),
      ),
    ).toBeNull();
  });
});

describe('refresh_race: the full diagnosis', () => {
  const sent = { refreshToken: 'fp-r' };
  it('a winner answered before this call was sent is not said to be under way with it', () => {
    const winner = other(
      T0 - 30,
      'refresh',
      { refreshToken: 'fp-r', newRefreshToken: 'fp-r2' },
      {
        durationMs: 10,
      },
    );
    const d = run(
      refreshRace,
      onWire('refresh', { wire: { sent, others: [winner] }, durationMs: 40 }),
    );
    expect(d?.cause).toMatch(
      /^Call #1 \(curl\) refreshed with the same refresh token 30 ms before this call started, and won: /,
    );
    expect(d?.evidence[1]).toBe('The two calls started 30 ms apart (they took 10 ms and 40 ms).');
  });
  it('the winner overlapped this call', () => {
    const others = [
      other(T0 - 30, 'refresh', { refreshToken: 'fp-r' }, { outcome: 'error', status: 400 }),
      other(T0 - 20, 'verify', { refreshToken: 'fp-r' }),
      other(
        T0 - 10,
        'refresh',
        { refreshToken: 'fp-r', newRefreshToken: 'fp-r2' },
        { durationMs: 80.4, label: 'call #2 (worker B)' },
      ),
    ];
    expect(
      run(refreshRace, onWire('refresh', { wire: { sent, others }, durationMs: 59.6 })),
    ).toEqual({
      rule: 'refresh_race',
      severity: 'error',
      title: 'Two callers refreshed with the same refresh token at once',
      cause:
        "Call #2 (worker B) refreshed with the same refresh token while this call was under way, and won: PandaDoc rotated the token for it and killed the old one, so this call got invalid_grant. If the winner's new refresh token was not stored where this caller reads it, access is lost.",
      next: 'Refresh in one place only, under a lock (or a single-flight promise) shared by every worker, and store the new refresh token before using the new access token.',
      evidence: [
        `Refresh token fp-r was sent by call #2 (worker B) at ${clock(T0 + -1000)} (worked, new refresh token fp-r2) and by this call at ${clock(T0 + 0)}.`,
        'The two calls started 10 ms apart (they took 80 ms and 60 ms).',
      ],
      docs: 'https://developers.pandadoc.com/reference/refresh-access-token',
    });
  });
  it('a winner that returned no new refresh token', () => {
    const others = [other(T0 + 40, 'refresh', sent)];
    expect(run(refreshRace, onWire('refresh', { wire: { sent, others } }))?.evidence[0]).toMatch(
      / \(worked\) and by this call at /,
    );
  });
  it('stays silent with no overlap, another error, or nothing sent', () => {
    const others = [other(T0 - 5000, 'refresh', sent)];
    expect(run(refreshRace, onWire('refresh', { wire: { sent, others } }))).toBeNull();
    const near = [other(T0 - 10, 'refresh', sent)];
    expect(
      run(
        refreshRace,
        onWire('refresh', { wire: { sent, others: near }, answer: '{"error":"invalid_client"}' }),
      ),
    ).toBeNull();
    expect(run(refreshRace, onWire('exchange', { wire: { sent, others: near } }))).toBeNull();
    expect(run(refreshRace, onWire('refresh', { wire: { sent: {}, others: near } }))).toBeNull();
    expect(run(refreshRace, onWire('refresh'))).toBeNull();
  });
});

describe('bearer_malformed: the full diagnosis', () => {
  it('quotes around a token, shown masked', () => {
    const headers: Array<[string, string]> = [
      ['Authorization', 'Bearer "2ff2dfe36322448c6953616740a910be57bbd4ca"'],
    ];
    expect(
      run(
        bearerMalformed,
        onWire('verify', { headers, status: 401, answer: '{"type":"authentication_error"}' }),
      ),
    ).toEqual({
      rule: 'bearer_malformed',
      severity: 'error',
      title: 'The Authorization header is not "Bearer <token>"',
      cause:
        'PandaDoc compares the token after "Bearer " character for character, and the token is wrapped in quotes. A token read from a file or an environment variable often keeps its newline or quotes.',
      next: 'Trim the token and send exactly Authorization: Bearer <40 hex characters>, with no quotes and nothing after it.',
      evidence: ['Header as sent: "Bearer \\"2ff2…d4ca\\""'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1',
    });
  });
  it.each([
    [' Bearer abc', 'it has stray spaces around the token'],
    ['Bearer abc ', 'it has stray spaces around the token'],
    ['Bearer  abc', null],
    ['Bearer abc\r', 'it contains a line break'],
    ['Bearer abc%0d', 'it contains an escaped line break (\\n or %0A)'],
    ['Bearer "abc', 'the token is wrapped in quotes'],
    ['Bearer abc"', 'the token is wrapped in quotes'],
    ['bearer\tbearer abc', 'it says Bearer twice'],
    ['Token abc def', null],
  ])('%j → %s', (header, problem) => {
    expect(bearerProblem(header)).toBe(problem);
  });
  it('stays silent for a member call that worked, a token call, or a header that looks right', () => {
    const headers: Array<[string, string]> = [['Authorization', 'Bearer "abc"']];
    expect(
      run(
        bearerMalformed,
        onWire('verify', { headers, status: 200, answer: '{"user_id":"u","email":"e@x"}' }),
      ),
    ).toBeNull();
    expect(run(bearerMalformed, onWire('refresh', { headers }))).toBeNull();
    expect(
      run(
        bearerMalformed,
        onWire('verify', { headers: [['Authorization', 'Bearer abc']], status: 401 }),
      ),
    ).toBeNull();
    expect(run(bearerMalformed, onWire('verify', { headers: [], status: 401 }))).toBeNull();
  });
});

describe('region_mismatch: the full diagnosis', () => {
  it('a refresh token from PandaDoc US sent to PandaDoc EU', () => {
    const others = [
      other(
        T0 - 9000,
        'exchange',
        { newRefreshToken: 'fp-r' },
        { outcome: 'error', upstream: 'eu' },
      ),
      other(
        T0 - 8000,
        'exchange',
        { newRefreshToken: 'fp-r' },
        { upstream: 'us', label: 'call #4 (sdk)' },
      ),
    ];
    expect(
      run(
        regionMismatch,
        onWire('refresh', { wire: { upstream: 'eu', sent: { refreshToken: 'fp-r' }, others } }),
      ),
    ).toEqual({
      rule: 'region_mismatch',
      severity: 'error',
      title: 'This refresh token belongs to PandaDoc US, but the call went to PandaDoc EU',
      cause:
        "PandaDoc's regions share nothing: accounts, apps and tokens live in one region only. The refresh token came from call #4 (sdk), sent to PandaDoc US; PandaDoc EU does not know it.",
      next: 'Send every call of this grant to https://api.pandadoc.com (with the SDK: one ServerConfiguration for the token and the API calls).',
      evidence: [
        `refresh token fp-r was issued by call #4 (sdk) at ${clock(T0 + -8000)} (PandaDoc US).`,
        'This call went to PandaDoc EU.',
      ],
      docs: 'https://developers.pandadoc.com/reference/authentication-process',
    });
  });
  it('an access token from PandaDoc EU refused with 403 by PandaDoc US', () => {
    const others = [other(T0 - 8000, 'exchange', { newAccessToken: 'fp-a' }, { upstream: 'eu' })];
    const input = onWire('verify', {
      status: 403,
      answer: '{"type":"authentication_error"}',
      wire: { upstream: 'us', sent: { accessToken: 'fp-a' }, others },
    });
    expect(run(regionMismatch, input)?.title).toBe(
      'This access token belongs to PandaDoc EU, but the call went to PandaDoc US',
    );
  });
  it('stays silent without a region mix-up to prove', () => {
    const eu = [
      other(
        T0 - 8000,
        'exchange',
        { newAccessToken: 'fp-a', newRefreshToken: 'fp-r' },
        { upstream: 'eu' },
      ),
    ];
    const verify = (status: number, wire: Partial<WireContext>) =>
      run(
        regionMismatch,
        onWire('verify', {
          status,
          answer: '{}',
          wire: { sent: { accessToken: 'fp-a' }, others: eu, ...wire },
        }),
      );
    expect(verify(401, {})?.rule).toBe('region_mismatch');
    expect(verify(400, {})).toBeNull();
    expect(verify(401, { upstream: 'eu' })).toBeNull();
    expect(verify(401, { upstream: 'simulator' })).toBeNull();
    expect(verify(401, { upstream: null })).toBeNull();
    expect(verify(401, { sent: {} })).toBeNull();
    expect(verify(401, { others: [{ ...eu[0]!, at: T0 }] })).toBeNull();
    expect(verify(401, { others: [{ ...eu[0]!, upstream: null }] })).toBeNull();
    expect(verify(401, { others: [{ ...eu[0]!, outcome: 'error' }] })).toBeNull();
    const refresh = (answer: string) =>
      run(
        regionMismatch,
        onWire('refresh', { answer, wire: { sent: { refreshToken: 'fp-r' }, others: eu } }),
      );
    expect(refresh('{"error":"invalid_grant"}')?.rule).toBe('region_mismatch');
    expect(refresh('{"error":"invalid_client"}')).toBeNull();
    expect(
      run(
        regionMismatch,
        onWire('exchange', { wire: { sent: { refreshToken: 'fp-r' }, others: eu } }),
      ),
    ).toBeNull();
  });
});

describe('wire rules: the same secret, the same moment', () => {
  it('a call that starts after this one ended (and over 100 ms later) did not race it', () => {
    const sent = { code: 'fp-c' };
    const cause = (at: number, durationMs: number) =>
      run(
        codeExchangedTwice,
        onWire('exchange', { durationMs, wire: { sent, others: [other(at, 'exchange', sent)] } }),
      )?.cause;
    expect(cause(T0 + 101, 0)).toMatch(/so this second exchange is refused/);
    expect(cause(T0 + 200, 300)).toMatch(/while this call was still under way/);
    expect(cause(T0 + 300, 300)).toMatch(/while this call was still under way/);
  });
  it('a refresh of another token at the same moment is no race', () => {
    const others = [other(T0 - 10, 'refresh', { refreshToken: 'fp-other' })];
    expect(
      run(refreshRace, onWire('refresh', { wire: { sent: { refreshToken: 'fp-r' }, others } })),
    ).toBeNull();
  });
  it('the region of the call that issued this token, not of another call', () => {
    const others = [
      other(T0 - 9000, 'verify', {}, { upstream: 'eu' }),
      other(
        T0 - 8000,
        'exchange',
        { newAccessToken: 'fp-a', newRefreshToken: 'fp-r' },
        { upstream: 'us' },
      ),
    ];
    const verify = onWire('verify', {
      status: 401,
      answer: '{}',
      wire: { upstream: 'us', sent: { accessToken: 'fp-a' }, others },
    });
    expect(run(regionMismatch, verify)).toBeNull();
    const refresh = onWire('refresh', {
      wire: { upstream: 'us', sent: { refreshToken: 'fp-r' }, others },
    });
    expect(run(regionMismatch, refresh)).toBeNull();
    const nothingSent = onWire('verify', {
      status: 401,
      answer: '{}',
      wire: { upstream: 'us', sent: {}, others },
    });
    expect(run(regionMismatch, nothingSent)).toBeNull();
  });
});

describe('which calls listed before a new one it can change (changedBy, the Traffic re-triage)', () => {
  /** A recording with every cross-call rule in it, listed in this order (as calls end). */
  async function recording(): Promise<RecordedCall[]> {
    const code = await wire.code();
    const first = tokensOf(await wire.token({ grant_type: 'authorization_code', code }));
    // The same code again: code_reused, saying nothing refreshed the first pair (yet).
    await wire.token({ grant_type: 'authorization_code', code });
    await wire.member(`Bearer ${first.access_token}`);
    // Far later, that pair is refreshed: the second exchange's advice changes.
    wire.clock += 60_000;
    const second = tokensOf(
      await wire.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    );
    await wire.member(`Bearer ${first.access_token}`); // used after its refresh
    await wire.member('Bearer "quoted"');
    // A race whose loser started first and is listed first (the winner took longer).
    const at = wire.clock;
    const winner = await wire.token(
      { grant_type: 'refresh_token', refresh_token: second.refresh_token },
      { at: at + 5, ms: 80 },
    );
    const third = tokensOf(winner);
    await wire.token(
      { grant_type: 'refresh_token', refresh_token: second.refresh_token },
      { at, ms: 20 },
    );
    swapLastTwo();
    // A slow refresh, and a call with the token it replaced that started during it and is listed
    // first: the refresh is in that call's history only once it is listed.
    const slow = wire.clock;
    await wire.token(
      { grant_type: 'refresh_token', refresh_token: third.refresh_token },
      { at: slow, ms: 3000 },
    );
    await wire.member(`Bearer ${third.access_token}`, { at: slow + 50, ms: 10 });
    swapLastTwo();
    // A second code, exchanged twice at once: the failure is listed before the success.
    const code2 = await wire.code();
    const t = wire.clock;
    await wire.token({ grant_type: 'authorization_code', code: code2 }, { at: t, ms: 30 });
    await wire.token({ grant_type: 'authorization_code', code: code2 }, { at: t + 10, ms: 5 });
    swapLastTwo();
    await wire.member(`Bearer ${tokensOf(wire.calls.at(-1)!).access_token}`);
    return wire.calls;
  }

  /** The last two calls listed the other way round: the second sent ended first. */
  const swapLastTwo = () => wire.calls.push(...wire.calls.splice(-2).reverse());

  const listed = (call: RecordedCall): ListedCall => {
    const kind = captureKind(call);
    return { call, kind, verdict: judgeCaptured(call, kind) };
  };

  it('every call whose diagnoses a newer call changes is picked, and calls it cannot change are not', async () => {
    const calls = await recording();
    const label = (_c: RecordedCall, i: number) => `call #${i + 1}`;
    const changes: string[] = [];
    let skipped = 0;
    for (let j = 1; j < calls.length; j++) {
      const before = await triageRecording(calls.slice(0, j), label);
      const after = await triageRecording(calls.slice(0, j + 1), label);
      const picks = changedBy([listed(calls[j]!)]);
      for (let i = 0; i < j; i++) {
        const changed =
          JSON.stringify(before[i]!.diagnoses) !== JSON.stringify(after[i]!.diagnoses);
        const picked = picks(listed(calls[i]!));
        if (changed) {
          changes.push(`#${i + 1} by #${j + 1}`);
          expect(picked, `call #${i + 1} changed by call #${j + 1}`).toBe(true);
        }
        if (!picked) skipped++;
      }
    }
    // Each way a newer call changes an older one happens: the first pair refreshed, a race's
    // winner, a refresh in an older call's history, a code's first exchange listed second.
    expect(changes).toEqual(['#2 by #4', '#7 by #8', '#9 by #10', '#11 by #12']);
    // And most older calls are left alone.
    expect(skipped).toBeGreaterThan(calls.length * 2);
  });

  it('a failed exchange is told when its first pair is refreshed, however much later', async () => {
    const code = await wire.code();
    const first = tokensOf(await wire.token({ grant_type: 'authorization_code', code }));
    await wire.token({ grant_type: 'authorization_code', code });
    const label = (_c: RecordedCall, i: number) => `call #${i + 1}`;
    const [, before] = await triageRecording(wire.calls, label);
    expect(before!.diagnoses[0]?.next).toContain('Nothing in this recording refreshed the pair');
    wire.clock += 10 * 60_000;
    await wire.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(changedBy([listed(wire.calls[2]!)])(listed(wire.calls[1]!))).toBe(true);
    const [, after] = await triageRecording(wire.calls, label);
    expect(after!.diagnoses[0]?.next).toContain('replaced by call #3');
  });

  it('a call that worked and started first is never picked; one that started later always is', () => {
    const ok = listed(wire.calls[0] ?? sample(T0, 200));
    const newer = listed(sample(T0 + 10, 200));
    expect(changedBy([newer])(ok)).toBe(false);
    expect(changedBy([listed(sample(T0 - 10, 200))])(ok)).toBe(true);
    // A refused call is no call's history.
    const refused = { ...sample(T0 - 10, 404), refused: { kind: 'not_found', reason: 'r' } };
    expect(changedBy([listed(refused as RecordedCall)])(ok)).toBe(false);
  });
});

function sample(at: number, status: number): RecordedCall {
  return {
    startedAt: at,
    durationMs: 5,
    upstream: 'simulator',
    request: {
      method: 'GET',
      url: `${ORIGIN}/sim/public/v1/members/current`,
      headers: [],
      body: null,
    },
    response: { status, statusText: '', headers: [], body: '{}', truncated: false },
    failure: null,
  };
}
