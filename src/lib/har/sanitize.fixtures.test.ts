/**
 * The sanitizer on every recorded fixture (e2e/fixtures/har), against secrets found independently
 * of its own collector (testSecrets.ts): none left in any form, and the file still a HAR.
 */
import type { Har } from 'har-format';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.ts';
import { sanitizeHar } from './sanitize.ts';
import { findSecret, harFixtures, secretsOf } from './testSecrets.ts';
import { checkHar } from './validate.ts';

async function sanitized(har: Har): Promise<Har> {
  const result = await sanitizeHar(har);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.leaks)}`);
  return JSON.parse(JSON.stringify(result.har)) as Har;
}

describe('sanitizeHar on the recorded fixtures', () => {
  for (const { file, recording, text } of harFixtures()) {
    it(`${file}: no secret left in any form, and still a valid HAR`, async () => {
      const all = [...secretsOf(recording, text)];
      const secrets = all.filter((s) => findSecret(text, s) !== null);
      // The browser recordings hold every secret of their flow; mitmproxy's view of the
      // customer's backend has no password or session cookie (they never leave the browser).
      if (file.endsWith('.chromium.har')) expect(secrets).toEqual(all);
      expect(secrets.length).toBeGreaterThanOrEqual(4);
      const out = await sanitizeHar(JSON.parse(text) as Har);
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.secrets).toBeGreaterThanOrEqual(secrets.length);
      expect(out.replaced).toBeGreaterThan(out.secrets);
      const written = JSON.stringify(out.har, null, 2);
      for (const s of secrets) expect(findSecret(written, s), `${s} in output`).toBeNull();
      // Not one issue, not even the id-less page of mitmproxy's original: Chrome can import it.
      expect(checkHar(JSON.parse(written)).issues).toEqual([]);
      // Every secret became its fingerprint: the same one History and the report show.
      for (const s of secrets) {
        const print = await fingerprint(s);
        expect(written.includes(print) || written.includes(encodeURIComponent(print)), s).toBe(
          true,
        );
      }
    });
  }
});

describe('sanitizeHar twice', () => {
  it('is idempotent: a sanitized HAR sanitized again is the same file', async () => {
    for (const { file, text } of harFixtures()) {
      const once = await sanitized(JSON.parse(text) as Har);
      const twice = await sanitizeHar(once);
      expect(twice, file).toEqual({ ok: true, har: once, replaced: 0, secrets: 0 });
    }
  });
});
