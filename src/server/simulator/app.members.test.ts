/** The simulator over HTTP: members/current, and the Date header from the simulated clock. */
import { describe, expect, it } from 'vitest';
import { SimulatorCore } from './state.ts';
import { createSimulator } from './app.ts';
import { codeFrom, core, exchangeFields, get, tokenCall, useSimulator } from './testApp.ts';

useSimulator();

describe('GET /public/v1/members/current', () => {
  async function accessToken() {
    return String((await tokenCall(exchangeFields(await codeFrom()))).body.access_token);
  }

  it('200 with the demo member for a valid Bearer token', async () => {
    const res = await get('/public/v1/members/current', {
      Authorization: `Bearer ${await accessToken()}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    const body = await res.json();
    expect(body).toMatchObject({
      email: 'demo@example.com',
      first_name: 'Dana',
      last_name: 'Demo',
      workspace_name: 'Demo Workspace',
      email_verified: true,
    });
  });

  it('401 authentication_error without valid credentials; 403 when configured', async () => {
    const expected =
      '{"type":"authentication_error","detail":"Authentication credentials were not provided."}';
    const none = await get('/public/v1/members/current');
    expect(none.status).toBe(401);
    expect(await none.text()).toBe(expected);
    const unknown = await get('/public/v1/members/current', {
      Authorization: `Bearer ${'a'.repeat(40)}`,
    });
    expect(unknown.status).toBe(401);
    core.settings.membersAuthErrorStatus = 403;
    const forbidden = await get('/public/v1/members/current');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toBe(expected);
  });

  it('emails_verified setting renames the flag', async () => {
    core.settings.emailVerifiedField = 'emails_verified';
    const res = await get('/public/v1/members/current', {
      Authorization: `Bearer ${await accessToken()}`,
    });
    const text = await res.text();
    expect(text).toContain('"workspace_name":"Demo Workspace","emails_verified":true,"role"');
    expect(text).not.toContain('"email_verified"');
  });
});

describe('Date header', () => {
  it('follows the simulator clock, so a moved clock is visible to clients', async () => {
    const core = new SimulatorCore({
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'http://127.0.0.1:5173/callback',
    });
    const app = createSimulator(core);
    core.advanceClock(11 * 60_000);
    const res = await app.request('/oauth2/access_token', { method: 'POST' });
    const skew = Date.parse(res.headers.get('date')!) - Date.now();
    expect(skew).toBeGreaterThan(10 * 60_000);
    expect(skew).toBeLessThan(12 * 60_000);
  });
});
