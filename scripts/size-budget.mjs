// Prints the first-load size (JS + CSS the page loads before anything else, gzipped) and fails
// the build when it is over budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 45;
const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let total = 0;
for (const asset of new Set(assets)) {
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
if (kb > BUDGET_KB) {
  console.error(`Over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}
