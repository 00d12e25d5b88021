/**
 * For tests only: find secrets in a HAR file and search text for them, independently of the
 * sanitizer's own collector and leak search (a bug there must not hide itself here).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(import.meta.dirname, '../../../e2e/fixtures/har');

/** Every `.har` fixture, with the name of the recording it comes from (its secrets.json key). */
export function harFixtures(): { file: string; recording: string; text: string }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.har'))
    .map((file) => ({
      file,
      recording: file.split('.')[0],
      text: readFileSync(join(FIXTURE_DIR, file), 'utf8'),
    }));
}

/**
 * The secrets of a fixture: what the recorder saw the simulator issue (secrets.json), every
 * 40-hex value (all simulator codes and tokens are), every JWT, and every Basic password.
 */
export function secretsOf(recording: string, text: string): Set<string> {
  const manifest = JSON.parse(readFileSync(join(FIXTURE_DIR, 'secrets.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  const secrets = new Set(manifest[recording] ?? []);
  for (const m of text.matchAll(/(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])/g)) secrets.add(m[0]);
  for (const m of text.matchAll(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g)) secrets.add(m[0]);
  for (const m of text.matchAll(/Basic ([A-Za-z0-9+/=]+)/g)) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    secrets.add(decoded.slice(decoded.indexOf(':') + 1));
  }
  return secrets;
}

/**
 * Where `secret` shows in `text` in any form: raw, URL-encoded (`%XX` or form `+`), or inside any
 * base64 run (decoded at each of the four character alignments). Null when nowhere.
 */
export function findSecret(text: string, secret: string): string | null {
  const plain = (t: string) =>
    t.includes(secret) ||
    t.includes(encodeURIComponent(secret)) ||
    t.includes(new URLSearchParams({ s: secret }).toString().slice(2));
  if (plain(text)) return 'raw or URL-encoded';
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}={0,2}/g) ?? []) {
    for (let skip = 0; skip < 4; skip++) {
      const slice = run.slice(skip);
      const decoded = Buffer.from(slice.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (plain(decoded.toString('latin1')) || plain(decoded.toString('utf8'))) {
        return `base64 (${run.slice(0, 24)}…)`;
      }
    }
  }
  return null;
}
