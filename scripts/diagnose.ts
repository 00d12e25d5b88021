/**
 * `npm run diagnose -- FILE` (or text on stdin): the evidence diagnosis as Markdown, with the same
 * library code as the app. `--sanitize OUT.har` also writes the sanitized HAR.
 * Exit status: 0 no problem found, 1 a problem was diagnosed, 2 the input could not be read.
 */
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { diagnoseEvidence, hasProblem } from '../src/lib/evidence/diagnose.ts';
import { renderEvidenceMarkdown } from '../src/lib/evidence/markdown.ts';
import { tooLarge } from '../src/lib/evidence/readHar.ts';
import { readEvidenceStream } from '../src/lib/evidence/readStream.ts';
import { sanitizeEvidence } from '../src/lib/evidence/sanitized.ts';

const USAGE = 'usage: npm run diagnose -- [FILE] [--sanitize OUT.har]   (no FILE: read stdin)';

function fail(message: string): never {
  process.stderr.write(`diagnose: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file: string | null = null;
let sanitizeTo: string | null = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? '';
  if (a === '--sanitize') sanitizeTo = args[++i] ?? fail(`--sanitize needs a file name. ${USAGE}`);
  else if (a === '-h' || a === '--help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (a.startsWith('-') && a !== '-') fail(`unknown option ${a}. ${USAGE}`);
  else file = a === '-' ? null : a;
}

let bytes: number | undefined;
if (file) {
  try {
    bytes = statSync(file).size;
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`);
  }
  const big = tooLarge(bytes);
  if (big) fail(big.message);
} else if (process.stdin.isTTY) fail(`nothing on stdin. ${USAGE}`);

const stream = file
  ? createReadStream(file, { encoding: 'utf8' })
  : process.stdin.setEncoding('utf8');
stream.on('error', (e) => fail(`cannot read ${file ?? 'stdin'}: ${e.message}`));
const read = await readEvidenceStream(stream as AsyncIterable<string>);
if (!read.ok) fail(read.error.message);

const report = await diagnoseEvidence(read.evidence);
process.stdout.write(`${renderEvidenceMarkdown(report, { bytes })}\n`);

if (sanitizeTo) {
  if (!file && read.evidence.source === 'har')
    fail('--sanitize needs the HAR as a FILE argument (stdin has been read already).');
  const path = file;
  const out = await sanitizeEvidence(read.evidence, async () => readFileSync(path ?? 0, 'utf8'));
  if (!out.ok) fail(out.message);
  writeFileSync(sanitizeTo, out.text);
  process.stderr.write(
    `diagnose: wrote ${sanitizeTo} (${out.replaced} secret value(s) replaced by fingerprints)\n`,
  );
}
process.exit(hasProblem(report) ? 1 : 0);
