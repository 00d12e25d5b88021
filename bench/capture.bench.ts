// The live capture's cost and speed (issue 11): pass-through latency with capture on (one Traffic
// tab listening, and nobody listening) against capture off, at 50 concurrent connections; and how
// soon a call shows up: over the event stream (always), and as a row on screen in Chromium.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createServerApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { listen } from '../src/server/listen.ts';
import { readSse } from '../src/server/capture/sseReader.ts';
import { freePort } from '../src/server/test-helpers.ts';
import { findChromium } from '../scripts/chromium-path.mjs';
import { builtApp } from './builtApp.ts';
import {
  accessToken,
  measure,
  median,
  medianInterval,
  request as rawRequest,
  startServers,
  type Measure,
} from './passthrough/harness.ts';
import { runLoad } from './passthrough/load.ts';
import type { BenchCase, BenchRow } from './types.ts';

const CONCURRENCY = 50;
const PATH = '/public/v1/members/current';
/** The first of 4 ports per server process (off, on, quiet, control), 24 in the full bench. */
const FIRST_PORT = 5302;

async function startServer(capture: boolean, distDir?: string) {
  const port = await freePort();
  const config = loadConfig({ PORT: String(port) });
  const { app, ring } = createServerApp({ config, distDir, capture: { enabled: capture } });
  const server = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port });
  return { ...server, origin: config.origin, ring };
}

/** `total` GET members/current calls, `CONCURRENCY` at a time on kept-alive connections. */
async function load(origin: string, token: string, total: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(origin);
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = request(
        {
          agent,
          hostname,
          port,
          path: '/public/v1/members/current',
          headers: { Authorization: `Bearer ${token}`, 'User-Agent': 'bench' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(performance.now() - t0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next++;
        samples.push(await one());
      }
    }),
  );
  agent.destroy();
  return samples;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** A Traffic tab watching `origin`, in a child process (see passthrough/tab.ts). */
async function watch(origin: string) {
  const child = fork(fileURLToPath(new URL('./passthrough/tab.ts', import.meta.url)), [origin], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench: the tab exited with ${code}`)));
    child.on('message', (m: { ready?: boolean }) => m.ready && resolve());
  });
  child.removeAllListeners('exit');
  let streamed = 0;
  let delays: number[] = [];
  return {
    get streamed() {
      return streamed;
    },
    /** For each write the tab read, how late its oldest call arrived (ms from the call's end). */
    get delays() {
      return delays;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.on('message', (m: { streamed?: number; delays?: number[] }) => {
          if (m.streamed !== undefined) streamed = m.streamed;
          if (m.delays) delays = m.delays;
        });
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/**
 * Capture on (one Traffic tab listening, as when someone watches: every call kept, serialised and
 * sent), on with nobody listening, off (`CAPTURE=0`), and a second capture-off app as a control:
 * four apps in one child process (so they share its speed), the same path at 50 connections,
 * taking turns in rotating order.
 * The full bench repeats this in 6 processes and pools the rounds. The control against off is
 * the instrument's own error: it should be 1.000, and how far it is not is how far no other ratio
 * here can be trusted either.
 */
async function latencyRows(short: boolean): Promise<BenchRow[]> {
  const names = ['off', 'on', 'quiet', 'control'] as const;
  // Short rounds, many of them: this machine's speed drifts within a second, and each round's
  // ratio cancels the drift only as far as its windows are close in time. A/A runs (two
  // capture-off apps and a third app, 6 processes, scratch scripts not kept), the median ratio
  // per process: 0.912-1.055 with 12 rounds of 500 ms each, 0.974-1.010 with 40 of 150 ms, and
  // 0.999-1.010 with 60 of 100 ms, in about the same total time. (The spread between processes
  // that the 500 ms rounds showed was mostly that drift.)
  const ms = 100;
  const rounds = short ? 5 : 45;
  const processes = short ? 1 : 6;
  const got = Object.fromEntries(names.map((n) => [n, [] as Measure[]])) as Record<
    (typeof names)[number],
    Measure[]
  >;
  let streamed = 0;
  const lateness: number[] = [];
  for (let p = 0; p < processes; p++) {
    const [off, on, quiet, control] = await startServers(FIRST_PORT + names.length * p, [
      false,
      true,
      true,
      false,
    ]);
    const servers = { off: off!, on: on!, quiet: quiet!, control: control! };
    let tab: Awaited<ReturnType<typeof watch>> | undefined;
    try {
      const tokens = Object.fromEntries(
        await Promise.all(
          names.map(async (n) => [n, await accessToken(`http://127.0.0.1:${servers[n].port}`)]),
        ),
      ) as Record<(typeof names)[number], string>;
      tab = await watch(`http://127.0.0.1:${servers.on.port}`);
      for (const n of names) await measure(servers[n], PATH, tokens[n], 10, short ? 500 : 1500);
      for (let r = 0; r < rounds; r++) {
        // Each round in another order, so drift in the machine's load falls on all four alike.
        for (let k = 0; k < names.length; k++) {
          const n = names[(r + k) % names.length]!;
          got[n].push(await measure(servers[n], PATH, tokens[n], CONCURRENCY, ms));
        }
      }
    } finally {
      await tab?.close();
      streamed += tab?.streamed ?? 0;
      lateness.push(...(tab?.delays ?? []));
      await servers.off.stop(); // the one process serving all four
    }
  }
  // Ratios within each round, then their median: a round's drift cancels out.
  const perRound = (a: Measure[], b: Measure[], key: keyof Measure) =>
    a.map((m, i) => m[key] / b[i]![key]);
  const ratio = (a: Measure[], b: Measure[], key: keyof Measure) => median(perRound(a, b, key));
  /** What the rounds' spread leaves open for a median ratio (see medianInterval). */
  const interval = (a: Measure[], b: Measure[], key: keyof Measure) => {
    const [lo, hi] = medianInterval(perRound(a, b, key));
    return `90 % interval ${lo.toFixed(3)}-${hi.toFixed(3)}`;
  };
  const p50 = ratio(got.on, got.off, 'p50');
  const quiet = ratio(got.quiet, got.off, 'p50');
  const control = ratio(got.control, got.off, 'p50');
  const f2 = (ms: Measure[], key: keyof Measure) => median(ms.map((m) => m[key])).toFixed(2);
  const f0 = (ms: Measure[], key: keyof Measure) => median(ms.map((m) => m[key])).toFixed(0);
  return [
    {
      group: 'capture',
      name: `p50 latency, ${CONCURRENCY} connections: capture on, one tab watching / off`,
      value: p50,
      unit: 'ratio',
      goal: '≤ 1.05×',
      met: p50 <= 1.05,
      gated: false,
      note: `median of ${processes * rounds} rounds' ratios, ${p50.toFixed(3)} (${interval(got.on, got.off, 'p50')}), rounds of ${ms} ms each side (${processes} server process${processes > 1 ? 'es' : ''}, all four apps in each); the control reads ${control.toFixed(3)}; p50 ${f2(got.on, 'p50')} ms on / ${f2(got.off, 'p50')} ms off; ${(streamed / 2 ** 20).toFixed(1)} MB streamed to the tab`,
    },
    {
      group: 'capture',
      name: `p50 latency, ${CONCURRENCY} connections: capture on, nobody watching / off`,
      value: quiet,
      unit: 'ratio',
      note: `${quiet.toFixed(3)} (${interval(got.quiet, got.off, 'p50')}); p50 ${f2(got.quiet, 'p50')} ms`,
    },
    {
      group: 'capture',
      name: `p50 latency, ${CONCURRENCY} connections: control (capture off) / off, the instrument's own error`,
      value: control,
      unit: 'ratio',
      note: `${control.toFixed(3)} (${interval(got.control, got.off, 'p50')}); p50 ${f2(got.control, 'p50')} ms`,
    },
    {
      group: 'capture',
      name: `server CPU per call, ${CONCURRENCY} connections: capture on, one tab watching / off`,
      value: ratio(got.on, got.off, 'cpuPerCall'),
      unit: 'ratio',
      note: `${f0(got.on, 'cpuPerCall')} µs on, ${f0(got.quiet, 'cpuPerCall')} µs nobody watching, ${f0(got.off, 'cpuPerCall')} µs off`,
    },
    {
      group: 'capture',
      name: `throughput, ${CONCURRENCY} connections: capture on, one tab watching / off`,
      value: ratio(got.on, got.off, 'throughput'),
      unit: 'ratio',
      note: `${f0(got.on, 'throughput')} req/s on, ${f0(got.quiet, 'throughput')} nobody watching, ${f0(got.off, 'throughput')} off; the tab's own process reads the stream on the same 2 cores`,
    },
    {
      group: 'capture',
      name: `live view under load (${CONCURRENCY} connections): call end → event at the tab, oldest call of each write, median`,
      value: percentile(lateness, 50),
      unit: 'ms',
      goal: '< 100 ms',
      met: percentile(lateness, 50) < 100,
      gated: false,
      note: `${lateness.length} writes, p95 ${percentile(lateness, 95).toFixed(1)} ms; at ${f0(got.on, 'throughput')} calls/s the stream writes at most every 50 ms (routes.ts)`,
    },
    {
      group: 'capture',
      name: `p99 latency, ${CONCURRENCY} connections: capture on, one tab watching / off`,
      value: ratio(got.on, got.off, 'p99'),
      unit: 'ratio',
      note: `p99 ${f2(got.on, 'p99')} ms on / ${f2(got.off, 'p99')} ms off`,
    },
  ];
}

/** From a call's end (as the server recorded it) to its event arriving at a listener. */
async function sseDelayRows(short: boolean): Promise<BenchRow[]> {
  const server = await startServer(true);
  const token = await accessToken(server.origin);
  const tab = await fetch(`${server.origin}/api/traffic/events`);
  const sse = readSse(tab.body!);
  while ((await sse.next())?.event !== 'hello');
  await load(server.origin, token, 1); // skip the backlog of the setup calls
  const delays: number[] = [];
  const n = short ? 50 : 300;
  for (let i = 0; i < n + 3; i++) {
    await load(server.origin, token, 1);
    for (;;) {
      const e = await sse.next();
      if (e === null) throw new Error('bench: capture: the event stream ended');
      if (e.event !== 'call') continue;
      const call = JSON.parse(e.data) as {
        startedAt: number;
        durationMs: number;
        userAgent: string;
      };
      if (call.userAgent !== 'bench') continue;
      if (i >= 3) delays.push(Date.now() - (call.startedAt + call.durationMs));
      break;
    }
  }
  await sse.close();
  await server.close();
  const median = percentile(delays, 50);
  return [
    {
      group: 'capture',
      name: 'live view: call end → event at a listener, median',
      value: median,
      unit: 'ms',
      goal: '< 100 ms',
      met: median < 100,
      gated: false,
      note: `${delays.length} calls, p95 ${percentile(delays, 95).toFixed(1)} ms (Date.now() resolution: 1 ms)`,
    },
  ];
}

/** From a call's end to its row painted in Chromium, with the Traffic section open. */
async function screenDelayRows(short: boolean, distDir: string): Promise<BenchRow[]> {
  const { chromium } = await import('@playwright/test');
  const server = await startServer(true, distDir);
  const token = await accessToken(server.origin);
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined });
  try {
    const page = await browser.newPage();
    // Whether the page is drawing a frame: set as the frame's first animation callback starts, and
    // cleared by a task, which can only run once that frame is drawn.
    await page.addInitScript(() => {
      const w = window as unknown as { __inFrame: boolean };
      w.__inFrame = false;
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (run) =>
        raf((at) => {
          if (!w.__inFrame) {
            w.__inFrame = true;
            setTimeout(() => (w.__inFrame = false), 0);
          }
          run(at);
        });
    });
    await page.goto(`${server.origin}/#traffic`);
    await page.getByTestId('traffic-status').filter({ hasText: 'Live' }).waitFor();
    // Each new row: when the frame that first shows it has been drawn. A row added while a frame
    // is being made (the view lists calls in an animation callback) is drawn in that frame; one
    // added by a task, in the next. A task queued then runs once that frame is drawn.
    await page.evaluate(() => {
      const w = window as unknown as { __rows: Record<string, number>; __inFrame: boolean };
      const seen: Record<string, number> = {};
      w.__rows = seen;
      new MutationObserver((records) => {
        const rows: string[] = [];
        for (const r of records)
          for (const node of r.addedNodes) {
            if (node instanceof HTMLElement) {
              for (const tr of [node, ...node.querySelectorAll('tr[data-seq]')]) {
                const seq = tr.getAttribute('data-seq');
                if (seq && !(seq in seen)) rows.push(seq);
              }
            }
          }
        if (rows.length === 0) return;
        // (No named function here: the bench's TypeScript loader would wrap it in a helper the
        // page does not have.)
        if (w.__inFrame) {
          setTimeout(() => rows.forEach((seq) => (seen[seq] ??= Date.now())), 0);
        } else {
          requestAnimationFrame(() =>
            setTimeout(() => rows.forEach((seq) => (seen[seq] ??= Date.now())), 0),
          );
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    // Every call's end, as the server records it (the ring keeps only the last 1,000).
    const ends = new Map<number, number>();
    server.ring.subscribe((e) => {
      if (e.kind !== 'call') return;
      // Told as it is added: the newest call is the one.
      const [call] = server.ring.since(server.ring.lastSeq - 1);
      if (call?.userAgent === 'bench') ends.set(call.seq, call.startedAt + call.durationMs);
    });
    const painted = async () => {
      const rows = await page.evaluate(() => {
        // Emptied in place: the observer above writes to this object.
        const seen = (window as unknown as { __rows: Record<string, number> }).__rows;
        const copy = { ...seen };
        for (const seq of Object.keys(copy)) delete seen[seq];
        return copy;
      });
      return Object.entries(rows)
        .filter(([seq]) => ends.has(Number(seq)))
        .map(([seq, at]) => at - ends.get(Number(seq))!);
    };
    const n = short ? 15 : 60;
    for (let i = 0; i < n; i++) {
      await load(server.origin, token, 1);
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.waitForTimeout(500);
    const delays = await painted();
    const median = percentile(delays, 50);
    // Under load: 50 connections as fast as the server answers them (here in the bench's own
    // process), the Traffic section drawing what it can. Only the rows drawn count: a write of
    // hundreds of calls draws its newest (TrafficTable's ROWS_PER_PAGE).
    const port = Number(new URL(server.origin).port);
    const flood = await runLoad({
      port,
      request: rawRequest(port, PATH, token),
      connections: CONCURRENCY,
      durationMs: short ? 1000 : 4000,
    });
    await page.waitForTimeout(1000);
    const loaded = await painted();
    const loadedMedian = percentile(loaded, 50);
    return [
      {
        group: 'capture',
        name: `live view under load (${CONCURRENCY} connections): call end → row on screen (Chromium), median`,
        value: loadedMedian,
        unit: 'ms',
        goal: '< 100 ms',
        met: loaded.length > 0 && loadedMedian < 100,
        gated: false,
        note: `${loaded.length} rows drawn of ${flood.count} calls in ${short ? 1 : 4} s, p95 ${percentile(loaded, 95).toFixed(1)} ms; the server, the load and Chromium on the same 2 cores`,
      },
      {
        group: 'capture',
        name: 'live view: call end → row on screen (Chromium), median',
        value: median,
        unit: 'ms',
        goal: '< 100 ms',
        met: delays.length > 0 && median < 100,
        gated: false,
        note: `${delays.length} of ${n} calls seen, p95 ${percentile(delays, 95).toFixed(1)} ms`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

export const run: BenchCase = async ({ short }) => {
  const rows = [...(await latencyRows(short)), ...(await sseDelayRows(short))];
  if (findChromium()) {
    rows.push(...(await screenDelayRows(short, await builtApp())));
  } else {
    // `npm test` runs the benchmark before the e2e step installs Chromium on a fresh machine.
    console.warn('bench: capture: the row-on-screen figure skipped: no Chromium');
  }
  return rows;
};
