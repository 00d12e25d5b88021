/**
 * The built app the browser cases run against: DIST_DIR when it holds a build, else one fresh
 * build (in a temporary folder, once per bench run) of the code as it is now: dist/ may be stale.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

let fresh: Promise<string> | undefined;

export function builtApp(): Promise<string> {
  const given = process.env.DIST_DIR;
  if (given && existsSync(join(given, 'index.html'))) return Promise.resolve(given);
  fresh ??= (async () => {
    const outDir = mkdtempSync(join(os.tmpdir(), 'bench-dist-'));
    console.log('bench: building the app for the browser cases…');
    const { build } = await import('vite');
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return fresh;
}
