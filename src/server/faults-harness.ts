/**
 * The real server on an ephemeral port for the failure-drill suites (simulator/control.test.ts,
 * api.faults.test.ts, passthrough.faults.test.ts): faults set through /sim/_control, calls made
 * as the browser (/api) or a PandaDoc client (the pass-through) would. Test code only.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createServerApp } from './app.ts';
import { DEFAULT_SIM_CLIENT_ID, loadConfig, type ServerConfig } from './config.ts';
import { listen } from './listen.ts';
import type { ControlState } from './simulator/control.ts';
import type { SimulatorSettingsValues } from './simulator/settings.ts';
import { consentForm, freePort } from './test-helpers.ts';
import { REDACTED, type TokenCallResult, type UpstreamExchange } from '../lib/api/wire.ts';

/** The suites' UPSTREAM_TIMEOUT_MS: short, so the slow drill is quick. */
export const TIMEOUT_MS = 400;

export const exchangeFields = (code: string) => [
  ['grant_type', 'authorization_code'],
  ['client_id', DEFAULT_SIM_CLIENT_ID],
  ['code', code],
];

export const header = (exchange: UpstreamExchange, name: string) =>
  exchange.response?.headers.find(([n]) => n.toLowerCase() === name)?.[1];

/** Starts the server for the calling suite (reset before each test) and returns its helpers. */
export function useFaultServer() {
  const server = { origin: '', config: undefined as unknown as ServerConfig };
  let running: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    const port = await freePort();
    server.config = loadConfig({ PORT: String(port), UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
    server.origin = server.config.origin;
    const { app } = createServerApp({ config: server.config, capture: { enabled: false } });
    running = await listen({ fetch: app.fetch, hostname: server.config.host, port });
  });
  afterAll(async () => {
    await running.close();
  });
  beforeEach(async () => {
    await control('POST', '/reset');
  });

  async function control(method: string, path = '', body?: unknown): Promise<Response> {
    return fetch(`${server.origin}/sim/_control${path}`, {
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
    const page = await fetch(`${server.origin}/sim/oauth2/authorize?${q}`);
    const answer = await fetch(`${server.origin}/sim/oauth2/authorize`, {
      method: 'POST',
      body: consentForm(await page.text()),
      redirect: 'manual',
    });
    return new URL(answer.headers.get('location')!).searchParams.get('code')!;
  }

  async function apiToken(code = 'f'.repeat(40)) {
    const res = await fetch(`${server.origin}/api/token`, {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', fields: exchangeFields(code) }),
      headers: { 'Content-Type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as TokenCallResult };
  }

  async function apiMembers(accessToken = 'e'.repeat(40)) {
    const res = await fetch(`${server.origin}/api/members/current`, {
      method: 'POST',
      body: JSON.stringify({ environment: 'simulator', accessToken }),
      headers: { 'Content-Type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as UpstreamExchange };
  }

  async function passToken(code = 'f'.repeat(40)) {
    const res = await fetch(`${server.origin}/oauth2/access_token`, {
      method: 'POST',
      body: new URLSearchParams(exchangeFields(code)),
    });
    return { res, text: await res.text() };
  }

  async function passMembers(accessToken = 'e'.repeat(40)) {
    const res = await fetch(`${server.origin}/public/v1/members/current`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    return { res, text: await res.text() };
  }

  /** The request in the envelope is the one that went out, secret shown as held by the server. */
  function expectTokenRequest(body: TokenCallResult, code = 'f'.repeat(40)) {
    expect(body.request).toEqual({
      method: 'POST',
      url: `${server.origin}/sim/oauth2/access_token`,
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
      url: `${server.origin}/sim/public/v1/members/current`,
      headers: [
        ['Authorization', `Bearer ${token}`],
        ['Accept', 'application/json'],
      ],
      body: null,
    });
  }

  return {
    server,
    control,
    set,
    newCode,
    apiToken,
    apiMembers,
    passToken,
    passMembers,
    expectTokenRequest,
    expectMembersRequest,
  };
}
