/**
 * A sanitized HAR is still evidence: read back by the Diagnose evidence reader (lib/evidence),
 * every fixture tells the same story and gets the same diagnoses as before it was sanitized.
 */
import type { Har } from 'har-format';
import { describe, expect, it } from 'vitest';
import { diagnoseEvidence } from '../evidence/diagnose.ts';
import { readHarText } from '../evidence/readHar.ts';
import { sanitizeHar } from './sanitize.ts';
import { harFixtures } from './testSecrets.ts';

async function story(text: string) {
  const read = readHarText(text);
  if (!read.ok) throw new Error(read.error.message);
  const report = await diagnoseEvidence(read.evidence);
  return {
    total: read.evidence.total,
    steps: report.timeline.map((s) => `${s.entry} ${s.kind}`),
    diagnoses: report.diagnoses.map((d) => `${d.severity} ${d.rule}`).sort(),
  };
}

describe('sanitized fixtures read back as the same evidence', () => {
  for (const { file, text } of harFixtures()) {
    it(file, async () => {
      const result = await sanitizeHar(JSON.parse(text) as Har);
      if (!result.ok) throw new Error(JSON.stringify(result.leaks));
      const before = await story(text);
      expect(before.steps.length).toBeGreaterThan(0);
      expect(await story(JSON.stringify(result.har, null, 2))).toEqual(before);
    });
  }
});
