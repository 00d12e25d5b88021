// Prints the first-load size (JS + CSS the page loads before anything else, gzipped) and fails
// the build when it is over budget. bench/assets.bench.ts measures the same files as served.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** First-load JS + CSS, gzipped, in KB. */
export const BUDGET_KB = 45;

/**
 * The JS and CSS files index.html loads before first render (scripts, stylesheets, preloads), as
 * paths relative to the build, e.g. `assets/index-x.js`.
 * @param {string} html
 * @returns {string[]}
 */
export function firstLoadAssets(html) {
  const found = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)];
  return [...new Set(found.map((m) => m[1]))];
}

/** @param {string} dist */
function check(dist) {
  const assets = firstLoadAssets(readFileSync(join(dist, 'index.html'), 'utf8'));
  let total = 0;
  for (const asset of assets) {
    const bytes = readFileSync(join(dist, asset));
    const gz = gzipSync(bytes, { level: 9 }).length;
    total += gz;
    console.log(
      `  ${asset.padEnd(40)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB raw ${(gz / 1024).toFixed(1).padStart(6)} KB gzip`,
    );
  }
  const lazy = readdirSync(join(dist, 'assets')).filter(
    (f) => /\.(js|css)$/.test(f) && !assets.includes(`assets/${f}`),
  );
  let lazyTotal = 0;
  for (const f of lazy)
    lazyTotal += gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length;
  console.log(
    `Loaded after first render (steps 4–7, svelte-query): ${(lazyTotal / 1024).toFixed(1)} KB gzipped in ${lazy.length} file(s)`,
  );
  const kb = total / 1024;
  console.log(`First-load JS+CSS: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
  if (kb > BUDGET_KB) console.error(`Over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  return kb <= BUDGET_KB;
}

// Run as a script (`npm run build`), on dist/ or DIST_DIR; imported, it only exports.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dist = process.env.DIST_DIR || new URL('../dist/', import.meta.url).pathname;
  if (!check(dist)) process.exit(1);
}
