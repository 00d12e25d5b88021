/**
 * The simulator's control API (/sim/_control) through the real server: settings, the clock, the
 * launch settings from SIM_* variables, and the cross-site guard in front of it.
 */
import { describe, expect, it } from 'vitest';
import { createServerApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { useFaultServer } from '../faults-harness.ts';
import type { ControlState } from './control.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

const { server, control, set, newCode, apiToken } = useFaultServer();

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
      const res = await fetch(`${server.origin}/sim/_control`, { method: 'PUT', body });
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
    const res = await fetch(`${server.origin}/sim/_control`, {
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
