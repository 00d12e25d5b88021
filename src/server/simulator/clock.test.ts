/** The simulated clock is bounded: it stays a valid date, and the control API says why it stops. */
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../lib/api/wire.ts';
import { createSimulator } from './app.ts';
import type { ControlState } from './control.ts';
import { MAX_CLOCK_OFFSET_MS, SimulatorCore } from './state.ts';

const CLIENT = { clientId: 'c', clientSecret: 's', redirectUri: 'http://127.0.0.1:5173/callback' };
const YEAR = 365 * 24 * 3600 * 1000;

function setup() {
  const core = new SimulatorCore(CLIENT);
  const app = createSimulator(core);
  const advance = (ms: unknown) =>
    app.request('/_control/advance-clock', {
      method: 'POST',
      body: JSON.stringify({ ms }),
      headers: { 'Content-Type': 'application/json' },
    });
  return { core, app, advance };
}

describe('SimulatorCore clock bounds', () => {
  it('moves up to MAX_CLOCK_OFFSET_MS either way, then refuses without moving', () => {
    const core = new SimulatorCore(CLIENT);
    core.advanceClock(MAX_CLOCK_OFFSET_MS);
    expect(core.clockOffsetMs).toBe(MAX_CLOCK_OFFSET_MS);
    expect(core.canAdvanceClock(1)).toBe(false);
    expect(() => core.advanceClock(1)).toThrow(RangeError);
    expect(core.clockOffsetMs).toBe(MAX_CLOCK_OFFSET_MS);
    core.advanceClock(-2 * MAX_CLOCK_OFFSET_MS);
    expect(core.clockOffsetMs).toBe(-MAX_CLOCK_OFFSET_MS);
    expect(() => core.advanceClock(-1)).toThrow(RangeError);
    expect(core.canAdvanceClock(Number.NaN)).toBe(false);
    expect(Number.isNaN(new Date(core.time()).getTime())).toBe(false);
  });
});

describe('POST /_control/advance-clock, repeated', () => {
  it('stops with a clear 400 at the bound; the clock, Date header and GET stay valid', async () => {
    const { app, advance } = setup();
    const statuses: number[] = [];
    let refusal: ApiErrorBody | undefined;
    // Ten-year steps: before the bound existed, enough of these put the clock past Date's range.
    for (let i = 0; i < 30_000 && !refusal; i++) {
      const res = await advance(5 * YEAR);
      statuses.push(res.status);
      if (res.status === 400) refusal = (await res.json()) as ApiErrorBody;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(refusal?.error.code).toBe('bad_request');
    expect(refusal?.error.message).toMatch(/would put it \d+ days from real time/);
    expect(refusal?.error.message).toMatch(/POST \/sim\/_control\/reset/);

    const res = await app.request('/_control');
    expect(res.status).toBe(200);
    const state = (await res.json()) as ControlState;
    expect(state.clockOffsetMs).toBe(10 * YEAR);
    expect(Number.isNaN(Date.parse(state.simulatedTime))).toBe(false);
    const date = (await app.request('/oauth2/access_token')).headers.get('Date');
    expect(date).not.toBe('Invalid Date');
    expect(Number.isNaN(Date.parse(date!))).toBe(false);

    // Reset brings it back, and then it moves again.
    expect((await app.request('/_control/reset', { method: 'POST' })).status).toBe(200);
    expect((await advance(60_000)).status).toBe(200);
  });

  it("an offset far past Date's range in one step is refused too", async () => {
    const { advance } = setup();
    expect((await advance(8.64e15)).status).toBe(400);
    expect((await advance(-8.64e15)).status).toBe(400);
  });
});
