/**
 * The simulator's control panel, mounted at `/sim/_control`: read and change the settings (failure
 * drills included) and move the simulated clock. Not part of PandaDoc; the app's own origin only
 * (the server's cross-site guard applies to every `/sim/_control` path and method).
 *
 *   GET  /sim/_control                → ControlState
 *   PUT  /sim/_control                → JSON patch of settings, validated → ControlState (400 if bad)
 *   POST /sim/_control/reset          → settings as launched, clock offset 0, expired codes and
 *                                       tokens dropped (live ones kept) → ControlState
 *   POST /sim/_control/forget         → every code and token forgotten, as a restart would → ControlState
 *   POST /sim/_control/advance-clock  → {"ms": number} → ControlState
 */
import { Hono } from 'hono';
import type { ApiErrorBody } from '../../lib/api/wire.ts';
import { parseSettingsPatch, settingsValues, type SimulatorSettingsValues } from './settings.ts';
import { MAX_CLOCK_OFFSET_MS, type SimulatorCore, type StoreSizes } from './state.ts';

/** One step may cross the whole allowed range (from ten years behind to ten years ahead). */
export const MAX_CLOCK_STEP_MS = 2 * MAX_CLOCK_OFFSET_MS;
const DAY_MS = 24 * 3600 * 1000;

export interface ControlState {
  settings: SimulatorSettingsValues;
  /** What `reset` restores: the defaults, overridden by the SIM_* environment variables. */
  launchSettings: SimulatorSettingsValues;
  clockOffsetMs: number;
  /** The simulator's current time (real time plus the offset), ISO 8601. */
  simulatedTime: string;
  /** Codes and tokens held now, and the caps on them. */
  grants: StoreSizes;
}

function bad(message: string): ApiErrorBody {
  return { error: { code: 'bad_request', message } };
}

async function readJson(req: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await req.json() };
  } catch {
    return { ok: false };
  }
}

export function createControl(core: SimulatorCore): Hono {
  const app = new Hono();
  const state = (): ControlState => ({
    settings: settingsValues(core.settings),
    launchSettings: settingsValues(core.launchSettings),
    clockOffsetMs: core.clockOffsetMs,
    simulatedTime: new Date(core.time()).toISOString(),
    grants: core.grantSizes(),
  });
  const noStore = { 'Cache-Control': 'no-store' };

  app.get('/', (c) => c.json(state(), 200, noStore));

  app.put('/', async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(bad('Expected a JSON object of settings to change.'), 400);
    const parsed = parseSettingsPatch(body.value);
    if (!parsed.ok) return c.json(bad(parsed.message), 400);
    Object.assign(core.settings, parsed.patch);
    return c.json(state(), 200, noStore);
  });

  app.post('/reset', (c) => {
    core.resetControls();
    return c.json(state(), 200, noStore);
  });

  app.post('/forget', (c) => {
    core.forgetGrants();
    return c.json(state(), 200, noStore);
  });

  app.post('/advance-clock', async (c) => {
    const body = await readJson(c.req.raw);
    const ms = body.ok ? (body.value as { ms?: unknown } | null)?.ms : undefined;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || Math.abs(ms) > MAX_CLOCK_STEP_MS) {
      return c.json(
        bad(
          `Expected JSON {"ms": n}: a whole number of milliseconds, at most ${MAX_CLOCK_STEP_MS} either way.`,
        ),
        400,
      );
    }
    if (!core.canAdvanceClock(ms)) {
      const days = (n: number) => `${Math.round(n / DAY_MS)} days`;
      return c.json(
        bad(
          `Moving the clock by ${ms} ms would put it ${days(core.clockOffsetMs + ms)} from real ` +
            `time (it is ${days(core.clockOffsetMs)} now); the simulated clock stays within ` +
            `${days(MAX_CLOCK_OFFSET_MS)} (${MAX_CLOCK_OFFSET_MS} ms) either way. ` +
            'POST /sim/_control/reset puts it back to real time.',
        ),
        400,
      );
    }
    core.advanceClock(ms);
    return c.json(state(), 200, noStore);
  });

  app.all('*', (c) =>
    c.json(
      {
        error: { code: 'not_found', message: `No control endpoint ${c.req.method} ${c.req.path}.` },
      } satisfies ApiErrorBody,
      404,
    ),
  );
  return app;
}
