/**
 * Failure drills through the app's API (/api/token, /api/members/current): the real server on an
 * ephemeral port, the simulator reached by URL, each fault set through /sim/_control. Whatever
 * breaks, the envelope is clear and carries the request as it was sent.
 */
import { describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { TIMEOUT_MS, exchangeFields, header, useFaultServer } from './faults-harness.ts';
import type { ControlState } from './simulator/control.ts';
import {
  LOAD_BALANCER_502,
  SERVER_ERROR_BODY,
  THROTTLED_BODY,
  malformedBody,
  truncatedBody,
} from './simulator/faults.ts';
import { freePort } from './test-helpers.ts';
import { REDACTED, type TokenCallResult } from '../lib/api/wire.ts';

const { control, set, newCode, apiToken, apiMembers, expectTokenRequest, expectMembersRequest } =
  useFaultServer();

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
