/**
 * Failure drills through the real proxy path: the real server on an ephemeral port, the simulator
 * reached by URL, each fault set through /sim/_control. Whatever breaks, the answer is clear and
 * nothing is lost: the envelope always carries the request as it was sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { DEFAULT_SIM_CLIENT_ID, loadConfig, type ServerConfig } from './config.ts';
import { listen } from './listen.ts';
import type { ControlState } from './simulator/control.ts';
import {
  LOAD_BALANCER_502,
  SERVER_ERROR_BODY,
  THROTTLED_BODY,
  malformedBody,
  truncatedBody,
} from './simulator/faults.ts';
import { DEFAULT_SETTINGS, type SimulatorSettingsValues } from './simulator/settings.ts';
import { consentForm, freePort } from './test-helpers.ts';
import { REDACTED, type TokenCallResult, type UpstreamExchange } from '../lib/api/wire.ts';

const TIMEOUT_MS = 400;
let config: ServerConfig;
let origin = '';
let running: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  const port = await freePort();
  config = loadConfig({ PORT: String(port), UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
  origin = config.origin;
  const { app } = createServerApp({ config });
  running = await listen({ fetch: app.fetch, hostname: config.host, port });
});

afterAll(async () => {
  await running.close();
});

beforeEach(async () => {
  await control('POST', '/reset');
});

async function control(method: string, path = '', body?: unknown): Promise<Response> {
  return fetch(`${origin}/sim/_control${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
}

async function set(patch: Partial<SimulatorSettingsValues>): Promise<ControlState> {
  const res = await control('PUT', '', patch);
  expect(res.status).toBe(200);
  return (await res.json()) as ControlState;
}

/** A live code from the simulator, as the browser would get it. */
async function newCode(): Promise<string> {
  const q = new URLSearchParams({
    client_id: DEFAULT_SIM_CLIENT_ID,
    response_type: 'code',
    scope: 'read+write',
  });
  const page = await fetch(`${origin}/sim/oauth2/authorize?${q}`);
  const answer = await fetch(`${origin}/sim/oauth2/authorize`, {
    method: 'POST',
    body: consentForm(await page.text()),
    redirect: 'manual',
  });
  return new URL(answer.headers.get('location')!).searchParams.get('code')!;
}

const exchangeFields = (code: string) => [
  ['grant_type', 'authorization_code'],
  ['client_id', DEFAULT_SIM_CLIENT_ID],
  ['code', code],
];

async function apiToken(code = 'f'.repeat(40)) {
  const res = await fetch(`${origin}/api/token`, {
    method: 'POST',
    body: JSON.stringify({ environment: 'simulator', fields: exchangeFields(code) }),
    headers: { 'Content-Type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as TokenCallResult };
}

async function apiMembers(accessToken = 'e'.repeat(40)) {
  const res = await fetch(`${origin}/api/members/current`, {
    method: 'POST',
    body: JSON.stringify({ environment: 'simulator', accessToken }),
    headers: { 'Content-Type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as UpstreamExchange };
}

async function passToken(code = 'f'.repeat(40)) {
  const res = await fetch(`${origin}/oauth2/access_token`, {
    method: 'POST',
    body: new URLSearchParams(exchangeFields(code)),
  });
  return { res, text: await res.text() };
}

async function passMembers(accessToken = 'e'.repeat(40)) {
  const res = await fetch(`${origin}/public/v1/members/current`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  return { res, text: await res.text() };
}

/** The request in the envelope is the one that went out, secret shown as held by the server. */
function expectTokenRequest(body: TokenCallResult, code = 'f'.repeat(40)) {
  expect(body.request).toEqual({
    method: 'POST',
    url: `${origin}/sim/oauth2/access_token`,
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Accept', 'application/json'],
    ],
    body: new URLSearchParams([
      ['grant_type', 'authorization_code'],
      ['client_id', DEFAULT_SIM_CLIENT_ID],
      ['client_secret', REDACTED],
      ['code', code],
    ]).toString(),
  });
  expect(body.secretSource).toBe('server');
}

function expectMembersRequest(body: UpstreamExchange, token = 'e'.repeat(40)) {
  expect(body.request).toEqual({
    method: 'GET',
    url: `${origin}/sim/public/v1/members/current`,
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['Accept', 'application/json'],
    ],
    body: null,
  });
}

const header = (exchange: UpstreamExchange, name: string) =>
  exchange.response?.headers.find(([n]) => n.toLowerCase() === name)?.[1];

describe('the control API', () => {
  it('GET shows the settings, the launch settings and the clock', async () => {
    const res = await control('GET');
    expect(res.status).toBe(200);
    const state = (await res.json()) as ControlState;
    expect(state.settings).toEqual(DEFAULT_SETTINGS);
    expect(state.launchSettings).toEqual(DEFAULT_SETTINGS);
    expect(state.clockOffsetMs).toBe(0);
    expect(Math.abs(Date.parse(state.simulatedTime) - Date.now())).toBeLessThan(5000);
  });

  it('PUT changes only what it names, and answers the new state', async () => {
    const state = await set({ fault: 'html', faultTarget: 'members', latencyMs: 5 });
    expect(state.settings).toEqual({
      ...DEFAULT_SETTINGS,
      fault: 'html',
      faultTarget: 'members',
      latencyMs: 5,
    });
    const again = await set({ scopeStyle: 'spec', membersAuthErrorStatus: 403 });
    expect(again.settings).toMatchObject({ fault: 'html', scopeStyle: 'spec' });
  });

  it.each([
    [{ fault: 'explode' }, /fault must be one of none, server_error, html, .*; got "explode"/],
    [{ faultTarget: 'all' }, /faultTarget must be one of token, members, both/],
    [{ latencyMs: -1 }, /latencyMs must be a whole number of milliseconds from 0 to 120000/],
    [{ latencyMs: 1.5 }, /latencyMs/],
    [{ latencyMs: '100' }, /latencyMs .*got "100"/],
    [{ faultOnce: 'yes' }, /faultOnce must be true or false/],
    [{ membersAuthErrorStatus: 500 }, /membersAuthErrorStatus must be one of 401, 403/],
    [{ clockOffsetMs: 5 }, /Unknown setting "clockOffsetMs"; known settings: /],
    [[], /Expected a JSON object/],
    [null, /Expected a JSON object/],
  ])('PUT %j → 400 with a clear message, nothing changed', async (patch, message) => {
    const res = await control('PUT', '', patch);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(message);
    expect(((await (await control('GET')).json()) as ControlState).settings).toEqual(
      DEFAULT_SETTINGS,
    );
  });

  it('PUT with a body that is not JSON, or with prototype tricks → 400', async () => {
    for (const body of ['fault=html', '{"fault":', '{"__proto__":{"fault":"html"}}']) {
      const res = await fetch(`${origin}/sim/_control`, { method: 'PUT', body });
      expect(res.status).toBe(400);
    }
    const state = (await (await control('GET')).json()) as ControlState;
    expect(state.settings).toEqual(DEFAULT_SETTINGS);
    expect(({} as Record<string, unknown>).fault).toBeUndefined();
  });

  it('advance-clock moves the simulated time; reset brings back settings and clock', async () => {
    const res = await control('POST', '/advance-clock', { ms: 11 * 60 * 1000 });
    const state = (await res.json()) as ControlState;
    expect(state.clockOffsetMs).toBe(11 * 60 * 1000);
    expect(Date.parse(state.simulatedTime) - Date.now()).toBeGreaterThan(10 * 60 * 1000);
    for (const bad of [{}, { ms: '5' }, { ms: 1.5 }, { ms: 1e15 }]) {
      const r = await control('POST', '/advance-clock', bad);
      expect(r.status).toBe(400);
      expect(await r.text()).toMatch(/Expected JSON \{\\"ms\\": n\}/);
    }
    await set({ fault: 'reset', latencyMs: 10 });
    const reset = (await (await control('POST', '/reset')).json()) as ControlState;
    expect(reset.settings).toEqual(DEFAULT_SETTINGS);
    expect(reset.clockOffsetMs).toBe(0);
  });

  it('an aged code really is dead: advance-clock drives the simulator', async () => {
    const code = await newCode();
    await control('POST', '/advance-clock', { ms: 10 * 60 * 1000 });
    const { body } = await apiToken(code);
    expect(body.response?.status).toBe(400);
    expect(JSON.parse(body.response!.body)).toEqual({ error: 'invalid_grant' });
  });

  it('unknown control paths → 404 JSON', async () => {
    const res = await control('POST', '/explode');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('pages on other sites cannot use it', async () => {
    const res = await fetch(`${origin}/sim/_control`, {
      method: 'PUT',
      body: '{"fault":"reset"}',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    const state = (await (await control('GET')).json()) as ControlState;
    expect(state.settings.fault).toBe('none');
  });

  it('SIM_* environment variables set the launch settings; reset returns to them', async () => {
    const cfg = loadConfig({
      SIM_LATENCY_MS: '250',
      SIM_FAULT: 'rate_limited',
      SIM_FAULT_TARGET: 'members',
      SIM_MEMBERS_AUTH_STATUS: '403',
      SIM_EMAIL_VERIFIED_FIELD: 'emails_verified',
      SIM_SCOPE_STYLE: 'spec',
    });
    const launch = {
      latencyMs: 250,
      fault: 'rate_limited',
      faultTarget: 'members',
      membersAuthErrorStatus: 403,
      emailVerifiedField: 'emails_verified',
      scopeStyle: 'spec',
    };
    expect(cfg.simulatorSettings).toEqual(launch);
    const { app, simulator } = createServerApp({ config: cfg });
    expect(simulator.settings).toMatchObject(launch);
    simulator.settings.fault = 'none';
    const res = await app.request(`${cfg.origin}/sim/_control/reset`, { method: 'POST' });
    expect(((await res.json()) as ControlState).settings).toEqual({
      ...DEFAULT_SETTINGS,
      ...launch,
    });
  });

  it.each([
    [{ SIM_FAULT: 'boom' }, /^SIM_FAULT must be one of none, server_error/],
    [{ SIM_LATENCY_MS: 'slow' }, /^SIM_LATENCY_MS must be a whole number/],
    [{ SIM_LATENCY_MS: '999999' }, /^SIM_LATENCY_MS must be .* to 120000; got 999999/],
    [{ SIM_MEMBERS_AUTH_STATUS: '402' }, /^SIM_MEMBERS_AUTH_STATUS must be one of 401, 403/],
    [{ SIM_EMAIL_VERIFIED_FIELD: 'verified' }, /^SIM_EMAIL_VERIFIED_FIELD must be one of/],
    [{ SIM_SCOPE_STYLE: 'PANDADOC' }, /^SIM_SCOPE_STYLE must be one of pandadoc, spec/],
    [{ SIM_FAULT_TARGET: 'all' }, /^SIM_FAULT_TARGET must be one of token, members, both/],
  ])('a bad %j stops the server with a clear error', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('faults through /api (the envelope)', () => {
  it('server_error: 200 envelope, response 500, body kept raw', async () => {
    await set({ fault: 'server_error' });
    const token = await apiToken();
    expect(token.status).toBe(200);
    expect(token.body.failure).toBeNull();
    expect(token.body.response).toMatchObject({ status: 500, body: SERVER_ERROR_BODY });
    expectTokenRequest(token.body);
    const members = await apiMembers();
    expect(members.body.response).toMatchObject({ status: 500, body: SERVER_ERROR_BODY });
    expectMembersRequest(members.body);
  });

  it("html: a load balancer's 502 page, kept raw with its content type", async () => {
    await set({ fault: 'html' });
    const token = await apiToken();
    expect(token.status).toBe(200);
    expect(token.body.response).toMatchObject({ status: 502, body: LOAD_BALANCER_502 });
    expect(header(token.body, 'content-type')).toBe('text/html');
    expect(header(token.body, 'server')).toBe('awselb/2.0');
    expectTokenRequest(token.body);
    const members = await apiMembers();
    expect(members.body.response).toMatchObject({ status: 502, body: LOAD_BALANCER_502 });
  });

  it('malformed_json: 200 with a body that is not JSON, kept raw', async () => {
    await set({ fault: 'malformed_json' });
    const token = await apiToken();
    expect(token.body.response).toMatchObject({ status: 200, body: malformedBody('token') });
    expect(token.body.response!.body.startsWith('{"access_token": ')).toBe(true);
    expect(() => JSON.parse(token.body.response!.body)).toThrow();
    expectTokenRequest(token.body);
    const members = await apiMembers();
    expect(members.body.response).toMatchObject({ status: 200, body: malformedBody('members') });
  });

  it('truncated_json: the half that arrived is kept, and the envelope says it was cut', async () => {
    await set({ fault: 'truncated_json' });
    for (const [call, endpoint] of [
      [apiToken, 'token'],
      [apiMembers, 'members'],
    ] as const) {
      const { status, body } = await call();
      const { full, cut } = truncatedBody(endpoint);
      expect(status).toBe(502);
      expect(body.response).toMatchObject({ status: 200, body: cut, truncated: false });
      expect(header(body, 'content-length')).toBe(String(full.length));
      expect(body.failure).toEqual({
        kind: 'unreachable',
        message: `the connection closed after ${cut.length} of ${full.length} body bytes: the answer is incomplete`,
      });
      if (endpoint === 'token') expectTokenRequest(body as TokenCallResult);
      else expectMembersRequest(body);
    }
  });

  it('reset: 502 unreachable, "connection was reset", the request kept', async () => {
    await set({ fault: 'reset' });
    const token = await apiToken();
    expect(token.status).toBe(502);
    expect(token.body.response).toBeNull();
    expect(token.body.failure?.kind).toBe('unreachable');
    expect(token.body.failure?.message).toMatch(/connection was reset/);
    expectTokenRequest(token.body);
    const members = await apiMembers();
    expect(members.status).toBe(502);
    expect(members.body.failure?.message).toMatch(/connection was reset/);
    expectMembersRequest(members.body);
  });

  it('rate_limited: 429 throttled with Retry-After: 13', async () => {
    await set({ fault: 'rate_limited' });
    for (const { body } of [await apiToken(), await apiMembers()]) {
      expect(body.response).toMatchObject({ status: 429, body: THROTTLED_BODY });
      expect(header(body, 'retry-after')).toBe('13');
    }
  });

  it('slow (latency over UPSTREAM_TIMEOUT_MS): 504 timeout, the request kept', async () => {
    await set({ latencyMs: TIMEOUT_MS + 400 });
    const t0 = performance.now();
    const token = await apiToken();
    expect(performance.now() - t0).toBeLessThan(TIMEOUT_MS + 350);
    expect(token.status).toBe(504);
    expect(token.body.failure).toEqual({
      kind: 'timeout',
      message: `no complete answer within ${TIMEOUT_MS} ms`,
    });
    expect(token.body.response).toBeNull();
    expectTokenRequest(token.body);
    const members = await apiMembers();
    expect(members.status).toBe(504);
    expectMembersRequest(members.body);
  });

  it('latency under the timeout only slows the answer down', async () => {
    await set({ latencyMs: 120 });
    const code = await newCode();
    const token = await apiToken(code);
    expect(token.status).toBe(200);
    expect(token.body.response?.status).toBe(200);
    expect(token.body.durationMs).toBeGreaterThanOrEqual(110);
  });

  it('faultTarget picks the endpoint; faultOnce spends the fault on one call', async () => {
    await set({ fault: 'server_error', faultTarget: 'members' });
    expect((await apiToken()).body.response?.status).toBe(400); // the real invalid_grant
    expect((await apiMembers()).body.response?.status).toBe(500);
    await set({ fault: 'server_error', faultTarget: 'token', faultOnce: true });
    expect((await apiMembers()).body.response?.status).toBe(401); // not the target: untouched
    expect((await apiToken()).body.response?.status).toBe(500);
    expect((await apiToken()).body.response?.status).toBe(400);
    const state = (await (await control('GET')).json()) as ControlState;
    expect(state.settings.fault).toBe('none');
  });

  it('a faulted call spends nothing: the code still works afterwards', async () => {
    const code = await newCode();
    await set({ fault: 'reset', faultTarget: 'token', faultOnce: true });
    expect((await apiToken(code)).body.failure?.message).toMatch(/reset/);
    const retry = await apiToken(code);
    expect(retry.body.response?.status).toBe(200);
    expect(JSON.parse(retry.body.response!.body)).toHaveProperty('access_token');
  });

  it('upstream down: 502 unreachable with a readable message, the request kept', async () => {
    const closed = await freePort();
    const down = loadConfig({ PORT: String(closed) });
    const { app } = createServerApp({ config: down });
    const res = await app.request(`${down.origin}/api/token`, {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', fields: exchangeFields('f'.repeat(40)) }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(502);
    const body = (await res.json()) as TokenCallResult;
    expect(body.failure).toEqual({
      kind: 'unreachable',
      message: 'connection refused: nothing is listening there',
    });
    expect(body.response).toBeNull();
    expect(body.request.url).toBe(`${down.origin}/sim/oauth2/access_token`);
    expect(body.request.body).toContain(`client_secret=${encodeURIComponent(REDACTED)}`);
  });
});

describe('faults through the pass-through paths (what a PandaDoc client sees)', () => {
  it('server_error, html, malformed_json and rate_limited pass through as they came', async () => {
    await set({ fault: 'server_error' });
    let t = await passToken();
    expect([t.res.status, t.text]).toEqual([500, SERVER_ERROR_BODY]);
    await set({ fault: 'html' });
    t = await passMembers();
    expect([t.res.status, t.text]).toEqual([502, LOAD_BALANCER_502]);
    expect(t.res.headers.get('content-type')).toBe('text/html');
    // Served from our origin, that HTML is inert.
    expect(t.res.headers.get('content-security-policy')).toContain('sandbox');
    await set({ fault: 'malformed_json' });
    t = await passToken();
    expect([t.res.status, t.text]).toEqual([200, malformedBody('token')]);
    await set({ fault: 'rate_limited' });
    t = await passMembers();
    expect([t.res.status, t.text]).toEqual([429, THROTTLED_BODY]);
    expect(t.res.headers.get('retry-after')).toBe('13');
  });

  it('truncated_json: the part that arrived, as it came', async () => {
    await set({ fault: 'truncated_json' });
    const t = await passToken();
    expect([t.res.status, t.text]).toEqual([200, truncatedBody('token').cut]);
  });

  it('reset and slow: a clear 502 / 504 in OAuth error form', async () => {
    await set({ fault: 'reset' });
    const reset = await passToken();
    expect(reset.res.status).toBe(502);
    expect(JSON.parse(reset.text)).toEqual({
      error: 'upstream_unreachable',
      error_description:
        'PandaDoc debugger proxy: the connection was reset before a full answer arrived',
    });
    await set({ fault: 'none', latencyMs: TIMEOUT_MS + 400 });
    const slow = await passMembers();
    expect(slow.res.status).toBe(504);
    expect(JSON.parse(slow.text)).toMatchObject({ error: 'upstream_timeout' });
  });
});
