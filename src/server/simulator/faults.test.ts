/** Failure drills (faults.ts) through the simulator's HTTP app, in-process. */
import { describe, expect, it } from 'vitest';
import { authorizeQuery, core, get, post, useSimulator } from './testApp.ts';

useSimulator();

describe('failure drills, in-process (no socket to cut)', () => {
  it('truncated_json gives a complete answer with a cut body; reset a body that fails', async () => {
    core.settings.fault = 'truncated_json';
    const cut = await post('/oauth2/access_token', 'grant_type=x');
    expect(cut.status).toBe(200);
    const text = await cut.text();
    expect(text.startsWith('{"access_token":"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    core.settings.fault = 'reset';
    const reset = await get('/public/v1/members/current');
    await expect(reset.text()).rejects.toThrow(/ECONNRESET/);
  });

  it('a fault hits each call once, on the trailing-slash path too, and faultOnce spends it', async () => {
    Object.assign(core.settings, { fault: 'rate_limited', faultTarget: 'token', faultOnce: true });
    const members = await get('/public/v1/members/current');
    expect(members.status).toBe(401);
    const throttled = await post('/oauth2/access_token/', 'grant_type=x');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('13');
    expect(core.settings.fault).toBe('none');
    expect((await post('/oauth2/access_token/', 'grant_type=x')).status).toBe(400);
  });

  it('latency delays the answer; the authorize pages are never delayed or faulted', async () => {
    Object.assign(core.settings, { latencyMs: 80, fault: 'server_error' });
    const t0 = performance.now();
    expect((await get('/public/v1/members/current')).status).toBe(500);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
    const t1 = performance.now();
    expect((await get(`/oauth2/authorize?${authorizeQuery}`)).status).toBe(200);
    expect(performance.now() - t1).toBeLessThan(75);
  });
});
