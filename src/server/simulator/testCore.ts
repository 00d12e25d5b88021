/**
 * The simulator core as the state tests drive it: a fixed wall clock, the demo client and another,
 * and the calls a client makes. Test code only. `core` and `wall` are live bindings, renewed
 * before each test by `useCore()`.
 */
import { beforeEach, expect } from 'vitest';
import { SimulatorCore, type StoreLimits } from './state.ts';

export const CLIENT = {
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  redirectUri: 'http://127.0.0.1:5173/callback',
};
export const OTHER = {
  clientId: 'other-client',
  clientSecret: 'other-secret',
  redirectUri: 'https://other.example/cb',
};
export const HEX40 = /^[0-9a-f]{40}$/;
export const BASE57_22 = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{22}$/;

export let wall: number;
export let core: SimulatorCore;

/** A fresh core at 2025-01-01 before each test of the calling file. */
export function useCore(limits?: Partial<StoreLimits>): void {
  beforeEach(() => {
    wall = Date.UTC(2025, 0, 1);
    core = new SimulatorCore({ ...CLIENT, now: () => wall, limits });
  });
}

/** Moves the wall clock (not the simulator's offset). */
export function setWall(ms: number): void {
  wall = ms;
}

/** Authorize query as a browser would send it (raw query string, form-decoded). */
export function q(raw: string): URLSearchParams {
  return new URLSearchParams(raw);
}
export const base = `client_id=${CLIENT.clientId}&response_type=code`;

/** Approve and return the code (or throw). */
export function codeFor(query = `${base}&scope=read+write&state=s`, sim = core): string {
  const result = sim.decide(q(query), true);
  if (result.kind !== 'redirect') throw new Error(result.description);
  const code = new URL(result.location).searchParams.get('code');
  if (!code) throw new Error('no code');
  return code;
}

export function exchange(code: string, extra: Record<string, string> = {}, client = CLIENT) {
  return core.token(
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      code,
      ...extra,
    }),
  );
}

export function refresh(token: string, extra: Record<string, string> = {}, client = CLIENT) {
  return core.token(
    new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      refresh_token: token,
      ...extra,
    }),
  );
}

export function tokensFor(query?: string) {
  const result = exchange(codeFor(query));
  expect(result.status).toBe(200);
  return result.body as { access_token: string; refresh_token: string; scope: string };
}

/** members/current with a bearer token: the status only. */
export const memberStatus = (token: string) => core.currentMember(`Bearer ${token}`).status;
