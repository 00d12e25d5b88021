// After `stryker run`: reads reports/mutation/mutation.json and writes docs/mutation.md with the
// score per file and in total, so the figure is printed and kept, not assumed.
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';

/** @typedef {{ status: string; mutatorName: string; replacement?: string; location: { start: { line: number } } }} Mutant */
/** @type {{ files: Record<string, { mutants: Mutant[] }> }} */
const report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
/** @type {string[]} */
const rows = [];
let detected = 0;
let counted = 0;
/** @type {string[]} */
const survivors = [];
for (const [file, { mutants }] of Object.entries(report.files).sort()) {
  const c = mutants.filter((m) => COUNTED.has(m.status));
  const d = c.filter((m) => DETECTED.has(m.status));
  detected += d.length;
  counted += c.length;
  rows.push(
    `| ${file} | ${d.length} / ${c.length} | ${c.length ? ((100 * d.length) / c.length).toFixed(1) : '–'} % |`,
  );
  for (const m of c.filter((m) => !DETECTED.has(m.status)))
    survivors.push(
      `- ${file}:${m.location.start.line} ${m.mutatorName} (${m.status})${m.replacement ? `: \`${String(m.replacement).replace(/\s+/g, ' ').slice(0, 80)}\`` : ''}`,
    );
}
const score = counted ? (100 * detected) / counted : 0;
const md = [
  '# Mutation testing',
  '',
  `Written by \`npm run mutate\` (StrykerJS with the vitest runner) on ${new Date().toISOString().slice(0, 10)}.`,
  'Scope: `src/lib/oauth` and `src/lib/triage` (tests excluded). Not run in CI: it takes minutes.',
  '',
  `**Mutation score: ${score.toFixed(1)} %** (${detected} of ${counted} mutants detected; killed or timed out).`,
  '',
  '| file | detected / total | score |',
  '| --- | --- | --- |',
  ...rows,
  '',
  '## Surviving mutants',
  '',
  survivors.length ? survivors.join('\n') : 'None.',
  '',
].join('\n');
// Formatted as the repository's Prettier check expects.
writeFileSync('docs/mutation.md', await format(md, { parser: 'markdown' }));
console.log(
  `mutation score: ${score.toFixed(1)} % (${detected}/${counted}); wrote docs/mutation.md`,
);
