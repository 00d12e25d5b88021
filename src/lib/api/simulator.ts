/** The simulator's control API (/sim/_control): settings, faults, clock. */

import type { SimulatorSettingsValues as SimulatorSettings } from '../../server/simulator/settings.ts';

/** The simulator's knobs, as the server defines them (a type only: nothing of Node comes along). */
export type { SimulatorSettings };

export interface SimulatorState {
  settings: SimulatorSettings;
  launchSettings: SimulatorSettings;
  clockOffsetMs: number;
  simulatedTime: string;
}

async function control(path: string, init?: RequestInit): Promise<SimulatorState> {
  let res: Response;
  try {
    res = await fetch(`/sim/_control${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
  } catch {
    throw new Error('The local server is not answering.');
  }
  const body = (await res.json().catch(() => null)) as
    (SimulatorState & { error?: { message: string } }) | null;
  if (!res.ok || !body)
    throw new Error(body?.error?.message ?? `Simulator control answered ${res.status}.`);
  return body;
}

export const getSimulator = () => control('');
export const patchSimulator = (patch: Partial<SimulatorSettings>) =>
  control('', { method: 'PUT', body: JSON.stringify(patch) });
export const resetSimulator = () => control('/reset', { method: 'POST' });
export const advanceSimulatorClock = (ms: number) =>
  control('/advance-clock', { method: 'POST', body: JSON.stringify({ ms }) });
