// Simulator memory: heap kept after a million token-endpoint operations (exchanges, refreshes,
// codes never exchanged). The core is driven directly (no HTTP), with gc before each reading, so
// the figure is what the simulator's maps hold, not garbage waiting to be collected.
import v8 from 'node:v8';
import vm from 'node:vm';
import { SimulatorCore } from '../src/server/simulator/state.ts';
import type { BenchCase, BenchRow } from './types.ts';

const CLIENT = {
  clientId: 'bench-client',
  clientSecret: 'bench-secret',
  redirectUri: 'http://127.0.0.1:5173/callback',
};
const AUTHORIZE = new URLSearchParams(
  `client_id=${CLIENT.clientId}&response_type=code&scope=read+write&state=s`,
);
/** The full run's goal: 1M operations keep less than this. */
const BOUND_MB = 20;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapMB(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function code(core: SimulatorCore): string {
  const result = core.decide(AUTHORIZE, true);
  if (result.kind !== 'redirect') throw new Error(result.description);
  return new URL(result.location).searchParams.get('code')!;
}

function token(core: SimulatorCore, fields: Record<string, string>): Record<string, unknown> {
  const result = core.token(
    new URLSearchParams({
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      ...fields,
    }),
  );
  if (result.status !== 200) throw new Error(JSON.stringify(result.body));
  return result.body;
}

const SCENARIOS: Record<string, (core: SimulatorCore, n: number) => void> = {
  exchanges: (core, n) => {
    for (let i = 0; i < n; i++) token(core, { grant_type: 'authorization_code', code: code(core) });
  },
  refreshes: (core, n) => {
    let body = token(core, { grant_type: 'authorization_code', code: code(core) });
    for (let i = 0; i < n; i++) {
      body = token(core, {
        grant_type: 'refresh_token',
        refresh_token: String(body.refresh_token),
      });
    }
  },
  'unexchanged codes': (core, n) => {
    for (let i = 0; i < n; i++) code(core);
  },
};

export const run: BenchCase = async ({ short }) => {
  const n = short ? 100_000 : 1_000_000;
  const label = short ? '100k' : '1M';
  // Short runs check the same thing a tenth the size: a tenth of the ops against a tenth of the
  // bound would fail a fixed cap, so the caps are scaled too (what is kept per cap is the same).
  const limits = short ? { maxCodes: 1_000, maxTokenPairs: 1_000 } : undefined;
  const bound = short ? BOUND_MB / 10 : BOUND_MB;
  const rows: BenchRow[] = [];
  // Compiled code and its feedback live on the heap too: compile everything before measuring.
  for (const scenario of Object.values(SCENARIOS)) scenario(new SimulatorCore(CLIENT), 5_000);
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const core = new SimulatorCore({ ...CLIENT, limits });
    const before = heapMB();
    const t0 = performance.now();
    scenario(core, n);
    const seconds = (performance.now() - t0) / 1000;
    const growth = heapMB() - before;
    const sizes = core.grantSizes();
    rows.push({
      group: 'simulator memory',
      name: `heap growth after ${label} ${name}`,
      value: Math.max(0, growth),
      unit: 'MB',
      goal: `< ${bound} MB`,
      met: growth < bound,
      gated: true,
      note: `${sizes.codes} codes, ${sizes.refreshTokens} pairs kept; caps ${sizes.maxCodes}/${sizes.maxTokenPairs}; ${Math.round(n / seconds)} ops/s`,
    });
  }
  return rows;
};
