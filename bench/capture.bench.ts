// The live capture's cost and speed: pass-through latency with capture on (one Traffic tab
// listening) against capture off, at 50 concurrent connections; and how soon a call shows up:
// over the event stream (always), and as a row on screen in Chromium (when a built app exists).
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createServerApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { listen } from '../src/server/listen.ts';
import { readSse } from '../src/server/capture/sseReader.ts';
import { consentForm, freePort } from '../src/server/test-helpers.ts';
import { findChromium } from '../scripts/chromium-path.mjs';
import type { BenchCase, BenchRow } from './types.ts';

const CONCURRENCY = 50;

async function startServer(capture: boolean, distDir?: string) {
  const port = await freePort();
  const config = loadConfig({ PORT: String(port) });
  const { app, ring } = createServerApp({ config, distDir, capture: { enabled: capture } });
  const server = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port });
  return { ...server, origin: config.origin, ring };
}

/** A valid access token from the simulator, through the consent form and the pass-through. */
async function accessToken(origin: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: 'sim-demo-client-0d6f3b',
    redirect_uri: `${origin}/callback`,
    scope: 'read+write',
    response_type: 'code',
    state: 'bench',
  });
  const page = await fetch(`${origin}/sim/oauth2/authorize?${query}`);
  const answer = await fetch(`${origin}/sim/oauth2/authorize`, {
    method: 'POST',
    body: consentForm(await page.text()),
    redirect: 'manual',
  });
  const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const res = await fetch(`${origin}/oauth2/access_token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'sim-demo-client-0d6f3b',
      client_secret: 'sim-demo-secret-8a41c7e2b9',
      code,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
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

async function latencyRows(short: boolean): Promise<BenchRow[]> {
  const on = await startServer(true);
  const quiet = await startServer(true);
  const off = await startServer(false);
  // One Traffic tab listening, as when someone watches: every call is serialised and sent. The
  // bytes are read and dropped here (a browser parses them in its own process, not this one).
  const tab = await fetch(`${on.origin}/api/traffic/events`);
  const reader = tab.body!.getReader();
  let streamed = 0;
  const drain = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        streamed += value.byteLength;
      }
    } catch {
      // Closed at the end.
    }
  })();
  const tokens = {
    on: await accessToken(on.origin),
    quiet: await accessToken(quiet.origin),
    off: await accessToken(off.origin),
  };
  const perRound = short ? 300 : 2000;
  const rounds = short ? 3 : 5;
  await load(on.origin, tokens.on, 200);
  await load(off.origin, tokens.off, 200);
  await load(quiet.origin, tokens.quiet, 200);
  const samples = { on: [] as number[], quiet: [] as number[], off: [] as number[] };
  // Alternate, so drift in the machine's load hits both sides alike.
  for (let r = 0; r < rounds; r++) {
    samples.off.push(...(await load(off.origin, tokens.off, perRound)));
    samples.on.push(...(await load(on.origin, tokens.on, perRound)));
    samples.quiet.push(...(await load(quiet.origin, tokens.quiet, perRound)));
  }
  await reader.cancel().catch(() => undefined);
  await drain;
  await on.close();
  await quiet.close();
  await off.close();
  const p50 = {
    on: percentile(samples.on, 50),
    quiet: percentile(samples.quiet, 50),
    off: percentile(samples.off, 50),
  };
  const p95 = { on: percentile(samples.on, 95), off: percentile(samples.off, 95) };
  const note = `${samples.on.length} calls each side, p50 ${p50.on.toFixed(2)} ms on / ${p50.off.toFixed(2)} ms off; ${(streamed / 2 ** 20).toFixed(1)} MB streamed to the tab`;
  return [
    {
      group: 'capture',
      name: `p50 latency, ${CONCURRENCY} connections: capture on / off`,
      value: p50.on / p50.off,
      unit: 'ratio',
      goal: '≤ 1.05×',
      met: p50.on / p50.off <= 1.05,
      gated: false,
      note,
    },
    {
      group: 'capture',
      name: `p50 latency, ${CONCURRENCY} connections: capture on, no tab / off`,
      value: p50.quiet / p50.off,
      unit: 'ratio',
      gated: false,
      note: `the capture alone, nobody listening: p50 ${p50.quiet.toFixed(2)} ms`,
    },
    {
      group: 'capture',
      name: `p95 latency, ${CONCURRENCY} connections: capture on / off`,
      value: p95.on / p95.off,
      unit: 'ratio',
      gated: false,
      note: `p95 ${p95.on.toFixed(2)} ms on / ${p95.off.toFixed(2)} ms off`,
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
      if (e?.event !== 'call') continue;
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
      note: `${delays.length} calls, p95 ${percentile(delays, 95)} ms (Date.now() resolution: 1 ms)`,
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
    await page.goto(`${server.origin}/#traffic`);
    await page.getByTestId('traffic-status').filter({ hasText: 'Live' }).waitFor();
    // Each new row: when it was first painted (the frame after it entered the DOM).
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { __rows: Record<string, number> }).__rows = seen;
      new MutationObserver((records) => {
        for (const r of records)
          for (const node of r.addedNodes) {
            if (node instanceof HTMLElement) {
              for (const tr of [node, ...node.querySelectorAll('tr[data-seq]')]) {
                const seq = tr.getAttribute('data-seq');
                if (seq && !(seq in seen)) requestAnimationFrame(() => (seen[seq] = Date.now()));
              }
            }
          }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const n = short ? 15 : 60;
    for (let i = 0; i < n; i++) {
      await load(server.origin, token, 1);
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.waitForTimeout(500);
    const rows = await page.evaluate(
      () => (window as unknown as { __rows: Record<string, number> }).__rows,
    );
    const delays = server.ring
      .list()
      .filter((c) => c.userAgent === 'bench' && String(c.seq) in rows)
      .map((c) => rows[String(c.seq)]! - (c.startedAt + c.durationMs));
    const median = percentile(delays, 50);
    return [
      {
        group: 'capture',
        name: 'live view: call end → row on screen (Chromium), median',
        value: median,
        unit: 'ms',
        goal: '< 100 ms',
        met: delays.length > 0 && median < 100,
        gated: false,
        note: `${delays.length} of ${n} calls seen, p95 ${percentile(delays, 95)} ms`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

export const run: BenchCase = async ({ short }) => {
  const rows = [...(await latencyRows(short)), ...(await sseDelayRows(short))];
  const distDir = process.env.DIST_DIR || fileURLToPath(new URL('../dist', import.meta.url));
  if (existsSync(`${distDir}/index.html`) && findChromium()) {
    rows.push(...(await screenDelayRows(short, distDir)));
  } else {
    rows.push({
      group: 'capture',
      name: 'live view: call end → row on screen (Chromium): not measured',
      value: 0,
      unit: 'count',
      note: 'not measured: needs a built app (npm run build) and Chromium',
    });
  }
  return rows;
};
