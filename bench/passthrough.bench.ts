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
  thinkMs = 0,
): Promise<Measure> {
  const before = await server.cpu();
  const r: LoadResult = await runLoad({
    port: server.port,
    request: request(server.port, path, token),
    connections,
    durationMs,
    thinkMs,
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

const f = (n: number, digits = 0) => n.toFixed(digits);
const medianOf = (ms: Measure[], key: keyof Measure) => median(ms.map((m) => m[key]));

export const run: BenchCase = async ({ short }) => {
  const rounds = short ? 2 : 5;
  const ms = short ? 1000 : 3000;
  const rows: BenchRow[] = [];
  const group = 'pass-through';
  const on = await startServer(PORTS.on, true);
  const off = await startServer(PORTS.off, false);
  try {
    const tokenOn = await accessToken(`http://127.0.0.1:${on.port}`);
    const tokenOff = await accessToken(`http://127.0.0.1:${off.port}`);
    // Warm both servers' JIT on both paths before anything counts.
    for (const [s, t] of [
      [on, tokenOn],
      [off, tokenOff],
    ] as const) {
      for (const path of [PASS, DIRECT, PASS, DIRECT])
        await measure(s, path, t, 10, short ? 500 : 1500);
    }
    const at50: Measure[] = [];
    for (const connections of [1, 50]) {
      const x = await paired(
        () => measure(on, PASS, tokenOn, connections, ms),
        () => measure(on, DIRECT, tokenOn, connections, ms),
        rounds,
      );
      if (connections === 50) at50.push(...x.a);
      const base = `${connections} connection${connections > 1 ? 's' : ''}: pass-through / direct`;
      const fig = (m: Measure[]) =>
        `${f(medianOf(m, 'cpuPerCall'))} µs CPU, p50 ${f(medianOf(m, 'p50'), 2)} ms, p99 ${f(medianOf(m, 'p99'), 2)} ms, ${f(medianOf(m, 'throughput'))} req/s`;
      const note = `pass-through ${fig(x.a)}; direct ${fig(x.b)}; ${rounds} paired rounds of ${ms} ms`;
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
    // 500 connections at once, each asking as fast as it can: every client answered within 10 s.
    const flood = await paired(
      () => measure(on, PASS, tokenOn, 500, ms * 2),
      () => measure(on, DIRECT, tokenOn, 500, ms * 2),
      1,
    );
    const answered = Math.min(...flood.a.map((m) => m.answered));
    rows.push(
      {
        group,
        name: '500 connections: clients answered through the pass-through',
        value: answered,
        unit: 'count',
        goal: '500 of 500',
        met: answered === 500,
        gated: true,
        note: `calling /sim directly: ${Math.min(...flood.b.map((m) => m.answered))} of 500; closed loop, p99 ${f(medianOf(flood.a, 'p99'), 1)} ms (queueing: 10× the clients of the 50 run, same server)`,
      },
      {
        group,
        name: 'throughput, 500 connections: pass-through / direct',
        value: ratios(flood, 'throughput'),
        unit: 'ratio',
      },
    );
    // The tail at 500: the 50-connection run's load spread over 500 connections (each waits
    // 500 / throughput-at-50 between requests), so p99 shows fairness, not 10× the queue.
    const x50 = medianOf(at50, 'throughput');
    const paced = [];
    for (let i = 0; i < (short ? 1 : 3); i++)
      paced.push(await measure(on, PASS, tokenOn, 500, ms * 2, (500 / x50) * 1000));
    const p99Ratio = medianOf(paced, 'p99') / medianOf(at50, 'p99');
    rows.push({
      group,
      name: 'p99 at 500 connections / p99 at 50, pass-through',
      value: p99Ratio,
      unit: 'ratio',
      goal: '≤ 3×',
      met: p99Ratio <= 3,
      gated: false,
      note: `p99 ${f(medianOf(paced, 'p99'), 1)} ms at 500 (the 50 run's ${f(x50)} req/s spread over 500 connections) vs ${f(medianOf(at50, 'p99'), 1)} ms at 50`,
    });
    // Capture on against off: the same path, 50 connections, two servers taking turns.
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
        note: `on ${f(medianOf(cap.a, 'p50'), 2)} ms, off ${f(medianOf(cap.b, 'p50'), 2)} ms`,
      },
      {
        group: 'capture',
        name: 'server CPU per call, 50 connections: capture on / off',
        value: ratios(cap, 'cpuPerCall'),
        unit: 'ratio',
        note: `on ${f(medianOf(cap.a, 'cpuPerCall'))} µs, off ${f(medianOf(cap.b, 'cpuPerCall'))} µs`,
      },
    );
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
  return rows;
};
