// `npm run bench` (and `npm run bench -- --short` in CI): every benchmark case in one run, one
// table, written to docs/benchmarks.md with the machine and how to reproduce. Deterministic budgets
// (gated rows) fail the run; noisy ratios are printed, never gated.
import { writeFileSync } from 'node:fs';
import { format } from 'prettier';
import os from 'node:os';
import type { BenchCase, BenchRow } from './types.ts';

/** Each case lives in bench/<name>.bench.ts and exports `run: BenchCase`. Order = table order. */
const CASES: Array<[string, () => Promise<{ run: BenchCase }>]> = [
  ['history', () => import('./history.bench.ts')],
  ['browser', () => import('./browser.bench.ts')],
  ['passthrough', () => import('./passthrough.bench.ts')],
  ['capture', () => import('./capture.bench.ts')],
  ['har', () => import('./har.bench.ts')],
  ['har-sanitize', () => import('./har-sanitize.bench.ts')],
  ['simulator', () => import('./simulator.bench.ts')],
  ['assets', () => import('./assets.bench.ts')],
];

const short = process.argv.includes('--short');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

function fmt(row: BenchRow): string {
  const v =
    row.unit === 'ratio'
      ? `${row.value.toFixed(2)}×`
      : `${Number.isInteger(row.value) ? row.value : row.value.toFixed(row.value < 10 ? 2 : 1)} ${row.unit}`;
  return v;
}

const rows: BenchRow[] = [];
// Ratios move with whatever else the machine is doing: the table says how busy it was.
const loadAtStart = os.loadavg()[0] ?? 0;
for (const [name, load] of CASES) {
  if (only && !only.split(',').includes(name)) continue;
  const started = performance.now();
  console.log(`bench: ${name}…`);
  const { run } = await load();
  const got = await run({ short });
  rows.push(...got);
  for (const row of got) {
    const mark = row.met === undefined ? ' ' : row.met ? '✓' : row.gated ? '✗' : '!';
    console.log(`  ${mark} ${row.name.padEnd(58)} ${fmt(row).padStart(12)}  ${row.goal ?? ''}`);
    // A partial run writes no table: its notes (intervals, the figures behind a ratio) go here.
    if (only && row.note) console.log(`      ${row.note}`);
  }
  console.log(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
const table = [
  '| group | measure | figure | goal | met |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.group} | ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r)} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : r.gated ? '**no (gated)**' : 'no'} |`,
  ),
].join('\n');

if (!short && !only) {
  // Formatted as the repository's Prettier check expects, so a fresh table never fails lint.
  const markdown =
    `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n\n` +
    `Machine: ${machine}; load average ${loadAtStart.toFixed(1)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end.\n\nReproduce: \`npm ci && npm run bench\` (the full run); CI runs ` +
    '`npm run bench -- --short`, which fails on the gated (deterministic) budgets only.\n\n' +
    `${table}\n`;
  writeFileSync('docs/benchmarks.md', await format(markdown, { parser: 'markdown' }));
  console.log('bench: wrote docs/benchmarks.md');
}

const failed = rows.filter((r) => r.gated && r.met === false);
for (const r of failed)
  console.error(`bench: budget not met: ${r.group} / ${r.name}: ${fmt(r)} (goal ${r.goal})`);
console.log(`bench: ${rows.length} figures, ${failed.length} gated budgets missed`);
process.exit(failed.length ? 1 : 0);
