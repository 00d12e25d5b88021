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
import { triageRecording, type RecordedCall } from '../../traffic/triageCalls.ts';
import { bearerProblem } from './wire.ts';

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
