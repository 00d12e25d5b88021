// First-load bytes as the server sends them: the app is built into a temp directory (with the
// precompress step), served in-process by the real server, and index.html plus every JS and CSS
// file it loads before first render is fetched with Accept-Encoding: gzip, then br, then none.
// Also counts the build's ineffective dynamic imports (a lazy chunk that is not lazy).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, createLogger } from 'vite';
import { BUDGET_KB, firstLoadAssets } from '../scripts/size-budget.mjs';
import { createServerApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { BenchCase, BenchRow } from './types.ts';

const ORIGIN = 'http://127.0.0.1:5173';

async function buildApp(outDir: string): Promise<string[]> {
  const warnings: string[] = [];
  // Warnings are counted, not printed: the build's own timing notes would bury the table.
  const logger = createLogger('warn');
  logger.warn = (message) => void warnings.push(message);
  await build({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    customLogger: logger,
    build: { outDir, emptyOutDir: true },
  });
  return warnings;
}

/** Bytes on the wire for each path, with this Accept-Encoding, from the real server app. */
async function served(distDir: string, paths: string[], accept: string | null) {
  const { app } = createServerApp({ config: loadConfig({}), distDir });
  let total = 0;
  for (const path of paths) {
    const res = await app.request(`${ORIGIN}${path}`, {
      headers: accept ? { 'Accept-Encoding': accept } : {},
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    total += (await res.arrayBuffer()).byteLength;
  }
  return total;
}

export const run: BenchCase = async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'oauth-debugger-bench-dist-'));
  try {
    const warnings = await buildApp(outDir);
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    const assets = firstLoadAssets(html).map((a) => `/${a}`);
    const raw = await served(outDir, assets, null);
    const gzip = await served(outDir, assets, 'gzip');
    const br = await served(outDir, assets, 'gzip, deflate, br');
    const page = {
      raw: await served(outDir, ['/', ...assets], null),
      br: await served(outDir, ['/', ...assets], 'gzip, deflate, br'),
    };
    const ineffective = warnings.filter((w) => w.includes('INEFFECTIVE_DYNAMIC_IMPORT')).length;
    const kb = (bytes: number) => bytes / 1024;
    const note = `${assets.length} files; ${kb(raw).toFixed(1)} KB uncompressed`;
    const rows: BenchRow[] = [
      {
        group: 'assets',
        name: 'first-load JS+CSS as served, gzip',
        value: kb(gzip),
        unit: 'KB',
        goal: `≤ ${BUDGET_KB} KB`,
        met: kb(gzip) <= BUDGET_KB,
        gated: true,
        note,
      },
      {
        group: 'assets',
        name: 'first-load JS+CSS as served, br',
        value: kb(br),
        unit: 'KB',
        goal: `≤ ${BUDGET_KB} KB`,
        met: kb(br) <= BUDGET_KB,
        gated: true,
        note,
      },
      {
        group: 'assets',
        name: 'first load (page + JS + CSS): br bytes / uncompressed',
        value: page.br / page.raw,
        unit: 'ratio',
        goal: '≤ 0.40×',
        met: page.br / page.raw <= 0.4,
        gated: true,
        note: `${kb(page.br).toFixed(1)} of ${kb(page.raw).toFixed(1)} KB`,
      },
      {
        group: 'assets',
        name: 'ineffective dynamic imports in the build',
        value: ineffective,
        unit: 'count',
        goal: '0',
        met: ineffective === 0,
        gated: true,
      },
    ];
    return rows;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
};
