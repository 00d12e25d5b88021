// The pass-through against a direct /sim call (issue 9), and capture on against off (issue 11):
// the real server in a child process (its CPU read apart from the load generator's), driven by a
// raw keep-alive load generator at 1, 50 and 500 connections. Paired A/B rounds, medians.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SIM_CLIENT_ID, DEFAULT_SIM_CLIENT_SECRET } from '../src/server/config.ts';
import { percentile, runLoad, type LoadResult } from './passthrough/load.ts';
import type { BenchCase, BenchRow } from './types.ts';

const PORTS = { on: 5301, off: 5302 };

interface Server {
  child: ChildProcess;
  port: number;
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

function startServer(port: number, capture: boolean): Promise<Server> {
  const child = fork(
    fileURLToPath(new URL('./passthrough/server.ts', import.meta.url)),
    [String(port), capture ? '1' : '0'],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const cpu = () =>
    new Promise<number>((resolve) => {
      const onMessage = (m: { cpu?: NodeJS.CpuUsage }) => {
        if (!m.cpu) return;
        child.off('message', onMessage);
        resolve(m.cpu.user + m.cpu.system);
      };
      child.on('message', onMessage);
      child.send('cpu');
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('exit');
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on('message', (m: { ready?: boolean }) => {
      if (m.ready) resolve({ child, port, cpu, stop });
    });
  });
}

/** An access token from the simulator, the way the app gets one (consent, then exchange). */
async function accessToken(origin: string): Promise<string> {
  const q = new URLSearchParams({
    client_id: DEFAULT_SIM_CLIENT_ID,
    response_type: 'code',
    scope: 'read+write',
  });
  const page = await (await fetch(`${origin}/sim/oauth2/authorize?${q}`)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of page.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  ))
    form.append(name, value.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
  form.set('decision', 'allow');
  const redirect = await fetch(`${origin}/sim/oauth2/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const token = await fetch(`${origin}/sim/oauth2/access_token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEFAULT_SIM_CLIENT_ID,
      client_secret: DEFAULT_SIM_CLIENT_SECRET,
      code,
    }),
  });
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  if (!accessToken) throw new Error('bench: no access token from the simulator');
  return accessToken;
}

const request = (port: number, path: string, token: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
  'Accept: application/json\r\nUser-Agent: bench\r\n\r\n';

interface Measure {
  cpuPerCall: number;
  p50: number;
  p99: number;
  throughput: number;
  answered: number;
  errors: number;
}

async function measure(
  server: Server,
  path: string,
  token: string,
  connections: number,
  durationMs: number,
): Promise<Measure> {
  const before = await server.cpu();
  const r: LoadResult = await runLoad({
    port: server.port,
    request: request(server.port, path, token),
    connections,
    durationMs,
  });
  const cpu = (await server.cpu()) - before;
  return {
    cpuPerCall: r.total ? cpu / r.total : NaN,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    throughput: (r.count / r.elapsedMs) * 1000,
    answered: r.answered,
    errors: r.errors,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A/B in alternating order, `rounds` times; the median of each figure's ratio. */
async function paired(
  a: () => Promise<Measure>,
  b: () => Promise<Measure>,
  rounds: number,
): Promise<{ a: Measure[]; b: Measure[] }> {
  const out = { a: [] as Measure[], b: [] as Measure[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      out.b.push(await b());
      out.a.push(await a());
    } else {
      out.a.push(await a());
      out.b.push(await b());
    }
  }
  return out;
}

function ratios(x: { a: Measure[]; b: Measure[] }, key: keyof Measure): number {
  return median(x.a.map((m, i) => m[key] / x.b[i][key]));
}

const PASS = '/public/v1/members/current';
const DIRECT = '/sim/public/v1/members/current';

export const run: BenchCase = async ({ short }) => {
  const rounds = short ? 1 : 5;
  const ms = short ? 1200 : 3000;
  const rows: BenchRow[] = [];
  const group = 'pass-through';
  const on = await startServer(PORTS.on, true);
  const off = await startServer(PORTS.off, false);
  try {
    const tokenOn = await accessToken(`http://127.0.0.1:${on.port}`);
    const tokenOff = await accessToken(`http://127.0.0.1:${off.port}`);
    // Warm both servers' JIT on both paths.
    for (const [s, t] of [
      [on, tokenOn],
      [off, tokenOff],
    ] as const) {
      await measure(s, PASS, t, 10, short ? 500 : 1500);
      await measure(s, DIRECT, t, 10, short ? 500 : 1500);
    }
    const p99At: Record<number, number> = {};
    for (const connections of [1, 50]) {
      const x = await paired(
        () => measure(on, PASS, tokenOn, connections, ms),
        () => measure(on, DIRECT, tokenOn, connections, ms),
        rounds,
      );
      p99At[connections] = median(x.a.map((m) => m.p99));
      const base = `${connections} connection${connections > 1 ? 's' : ''}: pass-through / direct`;
      const note = `direct: ${median(x.b.map((m) => m.cpuPerCall)).toFixed(0)} µs CPU, p50 ${median(x.b.map((m) => m.p50)).toFixed(2)} ms, ${median(x.b.map((m) => m.throughput)).toFixed(0)} req/s; ${rounds} paired rounds of ${ms} ms`;
      const cpu = ratios(x, 'cpuPerCall');
      const p50 = ratios(x, 'p50');
      const tput = ratios(x, 'throughput');
      rows.push(
        {
          group,
          name: `server CPU per call, ${base}`,
          value: cpu,
          unit: 'ratio',
          goal: '≤ 1.15×',
          met: cpu <= 1.15,
          gated: false,
          note,
        },
        {
          group,
          name: `p50 latency, ${base}`,
          value: p50,
          unit: 'ratio',
          goal: '≤ 1.15×',
          met: p50 <= 1.15,
          gated: false,
        },
        { group, name: `p99 latency, ${base}`, value: ratios(x, 'p99'), unit: 'ratio' },
        {
          group,
          name: `throughput, ${base}`,
          value: tput,
          unit: 'ratio',
          goal: '≥ 0.85×',
          met: tput >= 0.85,
          gated: false,
        },
      );
    }
    // 500 at once: everyone answered within 10 s, and the tail stays within 3× of 50's.
    const big = await paired(
      () => measure(on, PASS, tokenOn, 500, ms * 2),
      () => measure(on, DIRECT, tokenOn, 500, ms * 2),
      short ? 1 : 3,
    );
    const answered = Math.min(...big.a.map((m) => m.answered));
    rows.push(
      {
        group,
        name: '500 connections: clients answered through the pass-through',
        value: answered,
        unit: 'count',
        goal: '500 of 500',
        met: answered === 500,
        gated: true,
      },
      {
        group,
        name: '500 connections: clients answered calling /sim directly',
        value: Math.min(...big.b.map((m) => m.answered)),
        unit: 'count',
      },
    );
    const p99Ratio = median(big.a.map((m) => m.p99)) / p99At[50];
    rows.push({
      group,
      name: 'p99 at 500 connections / p99 at 50, pass-through',
      value: p99Ratio,
      unit: 'ratio',
      goal: '≤ 3×',
      met: p99Ratio <= 3,
      gated: false,
      note: `p99 at 500: ${median(big.a.map((m) => m.p99)).toFixed(1)} ms`,
    });
    rows.push({
      group,
      name: 'throughput at 500 connections: pass-through / direct',
      value: ratios(big, 'throughput'),
      unit: 'ratio',
    });
    // Capture on against off, same path, 50 connections, two servers alternately.
    const cap = await paired(
      () => measure(on, PASS, tokenOn, 50, ms),
      () => measure(off, PASS, tokenOff, 50, ms),
      rounds,
    );
    const capP50 = ratios(cap, 'p50');
    rows.push(
      {
        group: 'capture',
        name: 'p50 latency, 50 connections: capture on / off',
        value: capP50,
        unit: 'ratio',
        goal: '≤ 1.05×',
        met: capP50 <= 1.05,
        gated: false,
      },
      {
        group: 'capture',
        name: 'server CPU per call, 50 connections: capture on / off',
        value: ratios(cap, 'cpuPerCall'),
        unit: 'ratio',
      },
    );
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
  return rows;
};
