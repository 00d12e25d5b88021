/**
 * "Download sanitized HAR" on a big file: a HAR built from the recorded customer fixture's
 * entries, padded with unrelated bodies as real recordings are, sanitized by the one sanitizer.
 * Reports its time against a bare JSON.parse of the same text, and checks (gated) that the
 * output holds none of the recording's secrets.
 */
import { readFileSync } from 'node:fs';
import type { Har } from 'har-format';
import { sanitizeHar } from '../src/lib/har/sanitize.ts';
import type { BenchCase, BenchRow } from './types.ts';

const FIXTURE = new URL('../e2e/fixtures/har/customer-refresh-race.chromium.har', import.meta.url);
const SECRETS = new URL('../e2e/fixtures/har/secrets.json', import.meta.url);

function bigHar(entries: number): string {
  const base = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Har;
  const filler = 'lorem ipsum dolor sit amet '.repeat(180);
  const out: Har['log']['entries'] = [];
  for (let i = 0; i < entries; i++) {
    const entry = structuredClone(base.log.entries[i % base.log.entries.length]);
    // Unrelated entries (most of any real HAR) carry big bodies; the OAuth ones stay as recorded.
    if (!/oauth2|public\/v1/.test(entry.request.url)) entry.response.content.text = filler;
    out.push(entry);
  }
  return JSON.stringify({ log: { ...base.log, entries: out } });
}

export const run: BenchCase = async ({ short }) => {
  const text = bigHar(short ? 3000 : 20000);
  const mb = text.length / 1e6;
  let started = performance.now();
  JSON.parse(text);
  const parseMs = performance.now() - started;
  started = performance.now();
  const result = await sanitizeHar(JSON.parse(text) as Har);
  const sanitizeMs = performance.now() - started;
  const secrets = (JSON.parse(readFileSync(SECRETS, 'utf8')) as Record<string, string[]>)[
    'customer-refresh-race'
  ];
  const written = result.ok ? JSON.stringify(result.har) : '';
  const left = result.ok ? secrets.filter((s) => written.includes(s)).length : secrets.length;
  const rows: BenchRow[] = [
    {
      group: 'HAR',
      name: `sanitize ${mb.toFixed(0)} MB HAR (incl. parse) / JSON.parse`,
      value: sanitizeMs / parseMs,
      unit: 'ratio',
      // No goal set by the issue: reported so a slowdown shows. Noisy, so never gated.
      gated: false,
      note: `${sanitizeMs.toFixed(0)} ms against ${parseMs.toFixed(0)} ms`,
    },
    {
      group: 'HAR',
      name: 'recorded secrets left in the sanitized HAR',
      value: left,
      unit: 'count',
      goal: '0',
      met: left === 0,
      gated: true,
    },
  ];
  return rows;
};
