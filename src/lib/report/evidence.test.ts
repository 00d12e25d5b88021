import { describe, expect, it } from 'vitest';
import { diagnoseEvidence } from '../evidence/diagnose.ts';
import { readEvidenceText } from '../evidence/readText.ts';
import { createScrubber } from './scrub.ts';
import { evidenceSection, reportSections, setReportEvidence } from './evidence.ts';

describe('the report evidence section', () => {
  it('carries the evidence timeline and diagnoses, with fingerprints only', async () => {
    const code = '0123456789abcdef0123456789abcdef01234567';
    const read = readEvidenceText(
      `https://app.pandadoc.com/oauth2/authorize?client_id=a&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&state=state-aaaa-1\nhttps://app.example/cb?state=state-bbbb-2&code=${code}`,
    );
    if (!read.ok) throw new Error(read.error.message);
    const report = await diagnoseEvidence(read.evidence);
    expect(reportSections()).toEqual([]);
    setReportEvidence(report);
    expect(reportSections()).toHaveLength(1);
    const section = evidenceSection(report)(await createScrubber([]));
    expect(section.title).toBe('Evidence diagnosis');
    expect(section.markdown[0]).toMatch(/^Read a redirect URL|^Read an authorize URL/);
    expect(section.markdown).toContain('### Diagnosis');
    expect(section.markdown.join('\n')).toContain(
      '#### Error: The state in the redirect back differs',
    );
    expect(JSON.stringify(section)).not.toContain(code);
    expect(JSON.stringify(section)).not.toContain('state-bbbb-2');
    setReportEvidence(null);
  });
});
