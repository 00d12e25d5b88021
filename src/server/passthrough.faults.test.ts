/**
 * Failure drills through the pass-through paths, as a PandaDoc client sees them: the real server
 * on an ephemeral port, the simulator in-process (a real socket for the two faults that need one).
 */
import { describe, expect, it } from 'vitest';
import { TIMEOUT_MS, useFaultServer } from './faults-harness.ts';
import {
  LOAD_BALANCER_502,
  SERVER_ERROR_BODY,
  THROTTLED_BODY,
  malformedBody,
  truncatedBody,
} from './simulator/faults.ts';

const { set, passToken, passMembers } = useFaultServer();

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

  it('truncated_json: never a complete-looking 200, but a clear 502 saying what arrived', async () => {
    await set({ fault: 'truncated_json' });
    for (const [call, endpoint] of [
      [passToken, 'token'],
      [passMembers, 'members'],
    ] as const) {
      const { full, cut } = truncatedBody(endpoint);
      const t = await call();
      expect(t.res.status).toBe(502);
      expect(JSON.parse(t.text)).toEqual({
        error: 'upstream_unreachable',
        error_description: `PandaDoc debugger proxy: the connection closed after ${cut.length} of ${full.length} body bytes: the answer is incomplete`,
      });
    }
  });

  it('a truncating fault set while a latency drill waits still gives a 502, never a 200', async () => {
    await set({ latencyMs: 150 });
    const pending = passToken();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await set({ fault: 'truncated_json' });
    const t = await pending;
    expect(t.res.status).toBe(502);
    expect(JSON.parse(t.text)).toMatchObject({ error: 'upstream_unreachable' });
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
