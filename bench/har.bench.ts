// The HAR case: a generated HAR (100 MB, 20,000 entries; --short: 10 MB, 2,000), mostly unrelated
// entries around one OAuth story with a code exchanged twice. Time to a diagnosis against a bare
// JSON.parse of the same text, and the peak memory of reading it from disk, as the app's worker
// and the CLI do, against the file's size (measured in a child process: its peak RSS over a
// baseline child that loads the same code and reads nothing).
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseEvidence } from '../src/lib/evidence/diagnose.ts';
import { readHarText } from '../src/lib/evidence/readHar.ts';
import { readEvidenceStream } from '../src/lib/evidence/readStream.ts';
import { chromium } from '@playwright/test';
import { findChromium } from '../scripts/chromium-path.mjs';
import { builtApp } from './builtApp.ts';
import type { BenchCase, BenchRow } from './types.ts';

const T0 = Date.UTC(2025, 0, 6, 10, 0, 0);
const CODE = '7915c355d3b7fd8c29f9f788f9e1b9358617eb55';

function entry(
  i: number,
  url: string,
  method: string,
  status: number,
  body: string,
  extra = '',
): string {
  const headers = Array.from(
    { length: 12 },
    (_, h) => `{"name":"x-header-${h}","value":"value-${i}-${h}-abcdefghijklmnop"}`,
  ).join(',');
  return (
    `{"startedDateTime":"${new Date(T0 + i * 50).toISOString()}","time":42,` +
    `"request":{"method":"${method}","url":"${url}","httpVersion":"HTTP/1.1","cookies":[],"headers":[${headers}${extra}],"queryString":[],"headersSize":-1,"bodySize":0},` +
    `"response":{"status":${status},"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[${headers},{"name":"Content-Type","value":"application/json"}],` +
    `"content":{"size":${body.length},"mimeType":"application/json","text":${JSON.stringify(body)}},"redirectURL":"","headersSize":-1,"bodySize":-1},` +
    `"cache":{},"timings":{"send":1,"wait":40,"receive":1},"_resourceType":"fetch"}`
  );
}

function tokenEntry(i: number, status: number, body: string): string {
  const e = entry(
    i,
    'https://app.customer.example/oauth2/access_token',
    'POST',
    status,
    body,
    ',{"name":"Content-Type","value":"application/x-www-form-urlencoded"}',
  );
  const form = `grant_type=authorization_code&client_id=c1&client_secret=s3cret-s3cret-s3cret&code=${CODE}`;
  return e.replace(
    '"queryString":[]',
    `"queryString":[],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"${form}"}`,
  );
}

/** One entry in this many is a PandaDoc API call (so 1,000 of 20,000): the story is not tiny. */
const API_EVERY = 20;

/** How many steps the generated HAR's story has: five OAuth steps and the API calls. */
export const storySteps = (count: number) => 5 + Math.floor((count - 8) / API_EVERY) + 1;

/** A HAR text of about `bytes`, with `count` entries, the OAuth story spread through it. */
export function generateHar(bytes: number, count: number): string {
  const filler = Math.max(100, Math.floor(bytes / count) - 1700);
  const story = new Map<number, string>([
    [
      Math.floor(count * 0.2),
      entry(
        0,
        `https://app.pandadoc.com/oauth2/authorize?client_id=c1&redirect_uri=https%3A%2F%2Fapp.customer.example%2Fcb&scope=read+write&response_type=code&state=st-123456`,
        'GET',
        200,
        '<html></html>',
      ),
    ],
    [
      Math.floor(count * 0.3),
      entry(
        0,
        `https://app.customer.example/cb?state=st-123456&code=${CODE}`,
        'GET',
        200,
        '<html></html>',
      ),
    ],
    [
      Math.floor(count * 0.3) + 1,
      tokenEntry(
        0,
        200,
        `{"access_token":"${'a'.repeat(40)}","refresh_token":"${'b'.repeat(40)}","expires_in":31535999,"token_type":"Bearer","scope":"read write read+write"}`,
      ),
    ],
    [
      Math.floor(count * 0.5),
      entry(
        0,
        `https://app.customer.example/cb?state=st-123456&code=${CODE}`,
        'GET',
        200,
        '<html></html>',
      ),
    ],
    [Math.floor(count * 0.5) + 1, tokenEntry(0, 400, '{"error":"invalid_grant"}')],
  ]);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = story.get(i);
    parts.push(
      s
        ? s.replace(
            /"startedDateTime":"[^"]*"/,
            `"startedDateTime":"${new Date(T0 + i * 50).toISOString()}"`,
          )
        : i % API_EVERY === 7
          ? // The customer's app at work: PandaDoc API calls with its token, all answered.
            entry(
              i,
              `https://api.pandadoc.com/public/v1/documents?page=${i}`,
              'GET',
              200,
              `{"results":[${'{"id":"abc"},'.repeat(Math.floor(filler / 14))}{"id":"z"}]}`,
              `,{"name":"Authorization","value":"Bearer ${'a'.repeat(40)}"}`,
            )
          : entry(
              i,
              `https://cdn.example/asset/${i}.js`,
              'GET',
              200,
              `${i}:`.padEnd(filler, 'lorem ipsum dolor sit amet '),
            ),
    );
  }
  return `{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"pages":[],"entries":[${parts.join(',')}]}}`;
}

function timeIt(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Peak RSS of a child that streams the file into a diagnosis (or, as baseline, reads nothing). */
function childPeakMb(file: string, baseline: boolean): number {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', self, baseline ? '--baseline' : '--child', file],
    { encoding: 'utf8' },
  );
  return Number(/peak-rss-mb=([\d.]+)/.exec(out)?.[1] ?? NaN);
}

async function child(file: string, baseline: boolean): Promise<void> {
  if (!baseline) {
    const read = await readEvidenceStream(
      createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    );
    if (!read.ok) throw new Error(read.error.message);
    const report = await diagnoseEvidence(read.evidence);
    if (!report.diagnoses.some((d) => d.rule === 'code_reused')) throw new Error('no diagnosis');
  }
  console.log(`peak-rss-mb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}`);
}

const PORT = Number(process.env.HAR_BENCH_PORT || 5339);

/**
 * The longest main-thread task (PerformanceObserver 'longtask') while the built app's Diagnose
 * evidence section reads the file in Chromium; null when there is no Chromium.
 */
async function longestMainThreadTask(file: string): Promise<number | null> {
  const executablePath = findChromium();
  if (!executablePath) return null;
  const dist = await builtApp();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, PORT: String(PORT), DIST_DIR: dist, LOG_REQUESTS: '0' },
    stdio: 'ignore',
  });
  const browser = await chromium.launch({ executablePath });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${base}/api/config`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await browser.newPage();
    await page.goto(base);
    const ev = page.getByRole('region', { name: 'Diagnose evidence' });
    await ev.getByRole('button', { name: 'Choose a file…' }).waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { longest: number };
      w.longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration);
      }).observe({ type: 'longtask' });
    });
    await ev.getByLabel('Evidence file (HAR, JSON or text)').setInputFiles(file);
    await ev.getByRole('heading', { name: /problem found/ }).waitFor({ timeout: 300_000 });
    return await page.evaluate(() => (window as unknown as { longest: number }).longest);
  } finally {
    await browser.close();
    server.kill();
  }
}

export const run: BenchCase = async ({ short }) => {
  const count = short ? 2_000 : 20_000;
  const text = generateHar(short ? 10 * 2 ** 20 : 100 * 2 ** 20, count);
  const mb = text.length / 2 ** 20;
  const dir = mkdtempSync(join(tmpdir(), 'har-bench-'));
  const file = join(dir, 'bench.har');
  writeFileSync(file, text);
  try {
    // Best of several of each, alternating, so neither gets a warmer (or quieter) machine.
    const parse: number[] = [];
    const diagnose: number[] = [];
    for (let i = 0; i < (short ? 5 : 3); i++) {
      parse.push(timeIt(() => JSON.parse(text)));
      const t = performance.now();
      const read = readHarText(text);
      if (!read.ok) throw new Error(read.error.message);
      const report = await diagnoseEvidence(read.evidence);
      diagnose.push(performance.now() - t);
      if (
        report.timeline.length !== storySteps(count) ||
        report.setAside !== count - storySteps(count)
      )
        throw new Error(`wrong story: ${report.timeline.length} steps`);
    }
    const p = Math.min(...parse);
    const d = Math.min(...diagnose);
    // Memory is gated, so it is measured on a file big enough for the garbage collector's slack
    // (tens of MB whatever the file) not to be the figure: 30 MB in --short, the full file otherwise.
    let memFile = file;
    let memMb = mb;
    if (short) {
      const big = generateHar(30 * 2 ** 20, 6_000);
      memMb = big.length / 2 ** 20;
      memFile = join(dir, 'memory.har');
      writeFileSync(memFile, big);
    }
    const base = childPeakMb(memFile, true);
    const peak = childPeakMb(memFile, false);
    const memRatio = (peak - base) / memMb;
    const rows: BenchRow[] = [
      {
        group: 'HAR',
        name: `time to a diagnosis / bare JSON.parse (${mb.toFixed(0)} MB, ${count} entries)`,
        value: d / p,
        unit: 'ratio',
        goal: '≤ 3×',
        met: d / p <= 3,
        gated: false,
        note: `${d.toFixed(0)} ms vs ${p.toFixed(0)} ms`,
      },
      {
        group: 'HAR',
        name: `peak memory reading it from disk / file size (${memMb.toFixed(0)} MB)`,
        value: memRatio,
        unit: 'ratio',
        goal: '≤ 3×',
        met: memRatio <= 3,
        gated: true,
        note: `${(peak - base).toFixed(0)} MB over a ${base.toFixed(0)} MB baseline process`,
      },
    ];
    // A browser and a server take longer than the rest together: the full run only.
    const longest = short ? null : await longestMainThreadTask(file);
    rows.push(
      longest === null
        ? {
            group: 'HAR',
            name: 'longest main-thread task while the app reads it',
            value: 0,
            unit: 'ms',
            note: short
              ? 'full run only (npm run bench)'
              : 'skipped: no built app (DIST_DIR or dist/) or no Chromium',
          }
        : {
            group: 'HAR',
            name: `longest main-thread task while the app reads it (${mb.toFixed(0)} MB, Chromium)`,
            value: longest,
            unit: 'ms',
            goal: '≤ 100 ms',
            met: longest <= 100,
            gated: false,
            note: 'longtask entries; 0 means none over 50 ms',
          },
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const mode = process.argv[2];
if (mode === '--child' || mode === '--baseline')
  await child(process.argv[3] ?? '', mode === '--baseline');
