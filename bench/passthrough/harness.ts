/**
 * The pass-through and capture benches' shared harness: the real server in a child process (its
 * CPU read apart from the load generator's), an access token got the way the app gets one, one
 * measured window of closed-loop (or paced) load, and paired A/B rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SIM_CLIENT_ID, DEFAULT_SIM_CLIENT_SECRET } from '../../src/server/config.ts';
import { percentile, runLoad, type LoadResult } from './load.ts';

export interface Server {
  child: ChildProcess;
  port: number;
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

export function startServer(port: number, capture: boolean): Promise<Server> {
  return startServers(port, [capture]).then(([server]) => server!);
}

/**
 * One process serving an app per entry of `captures` (capture on or off), on consecutive ports
 * from `port`: what several apps are compared on, so they share the process's speed. `cpu()` is
 * the whole process's; read it around a window in which only one of them is loaded.
 */
export function startServers(port: number, captures: boolean[]): Promise<Server[]> {
  const child = fork(
    fileURLToPath(new URL('./server.ts', import.meta.url)),
    [String(port), ...captures.map((capture) => (capture ? '1' : '0'))],
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
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('exit');
    }));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on('message', (m: { ready?: boolean }) => {
      if (m.ready) resolve(captures.map((_, i) => ({ child, port: port + i, cpu, stop })));
    });
  });
}

/** An access token from the simulator, the way the app gets one (consent, then exchange). */
export async function accessToken(origin: string): Promise<string> {
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

export const request = (port: number, path: string, token: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
  'Accept: application/json\r\nUser-Agent: bench\r\n\r\n';

export interface Measure {
  cpuPerCall: number;
  p50: number;
  p99: number;
  throughput: number;
  answered: number;
  errors: number;
  /**
   * The load generator's own longest event-loop stall in the window, in ms: an answer that came
   * meanwhile is timed late, so a tail no longer than this may be the generator's, not the server's.
   */
  generatorStallMs: number;
}

export async function measure(
  server: Server,
  path: string,
  token: string,
  connections: number,
  durationMs: number,
  thinkMs = 0,
): Promise<Measure> {
  const before = await server.cpu();
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  const r: LoadResult = await runLoad({
    port: server.port,
    request: request(server.port, path, token),
    connections,
    durationMs,
    thinkMs,
  });
  stalls.disable();
  const cpu = (await server.cpu()) - before;
  return {
    cpuPerCall: r.total ? cpu / r.total : NaN,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    throughput: (r.count / r.elapsedMs) * 1000,
    answered: r.answered,
    errors: r.errors,
    generatorStallMs: stalls.max / 1e6,
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * How far the median of `xs` can be trusted: the 5th and 95th percentiles of the medians of
 * `resamples` resamples (drawn with replacement, from a fixed seed so a run's figures can be
 * checked again). Each x is one round's ratio: the interval says what the rounds' own spread
 * leaves open, not the machine's drift between runs.
 */
export function medianInterval(xs: readonly number[], resamples = 2000): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  let seed = 0x9e3779b9;
  // mulberry32: small, seedable, plenty for picking indices.
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const medians = Array.from({ length: resamples }, () =>
    median(Array.from(xs, () => xs[Math.floor(random() * xs.length)]!)),
  ).sort((a, b) => a - b);
  return [medians[Math.floor(0.05 * resamples)]!, medians[Math.ceil(0.95 * resamples) - 1]!];
}

/** A/B in alternating order, `rounds` times; the median of each figure's ratio. */
export async function paired(
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

export function ratios(x: { a: Measure[]; b: Measure[] }, key: keyof Measure): number {
  return median(x.a.map((m, i) => m[key] / x.b[i][key]));
}
