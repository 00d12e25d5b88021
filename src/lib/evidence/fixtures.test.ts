// @vitest-environment node
/**
 * The diagnosis of HAR files recorded for real (Playwright's recordHar on Chromium against the
 * simulator: e2e/fixtures/har), read the way the app and the CLI read them, in small chunks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnoseEvidence } from './diagnose.ts';
import { renderEvidenceMarkdown } from './markdown.ts';
import { readHarText } from './readHar.ts';
import { sanitizeEvidence } from './sanitized.ts';

const dir = new URL('../../../e2e/fixtures/har/', import.meta.url);
const text = (name: string, tool = 'chromium') =>
  readFileSync(new URL(`${name}.${tool}.har`, dir), 'utf8');
const secrets = JSON.parse(readFileSync(new URL('secrets.json', dir), 'utf8')) as Record<
  string,
  string[]
>;

async function diagnose(name: string, tool = 'chromium') {
  const read = readHarText(text(name, tool), 4096);
  if (!read.ok) throw new Error(read.error.message);
  return { evidence: read.evidence, report: await diagnoseEvidence(read.evidence) };
}

describe('recorded HAR fixtures', () => {
  it('a callback page loaded twice: the code exchanged twice, naming both loads and both exchanges', async () => {
    const { report } = await diagnose('customer-double-callback');
    expect(report.source).toBe('har');
    expect(report.detail).toMatch(
      /^HAR 1\.2 from Playwright [\d.]+ \(chromium [\d.]+\), 22 entries$/,
    );
    expect(report.timeline.map((s) => s.kind)).toEqual([
      'authorize',
      'consent',
      'callback',
      'exchange',
      'callback',
      'exchange',
      'verify',
    ]);
    expect(report.setAside).toBe(15);
    const first = report.diagnoses[0];
    expect(first?.rule).toBe('code_reused');
    expect(first?.entries).toEqual(
      report.timeline
        .filter((s) => s.kind === 'callback' || s.kind === 'exchange')
        .map((s) => s.entry),
    );
    expect(report.diagnoses.filter((d) => d.severity === 'error')).toHaveLength(1);
  });

  it('a refresh race, then the old access token used', async () => {
    const { report } = await diagnose('customer-refresh-race');
    const errors = report.diagnoses.filter((d) => d.severity === 'error').map((d) => d.rule);
    expect(errors.sort()).toEqual(['refresh_race', 'token_after_refresh']);
    const race = report.diagnoses.find((d) => d.rule === 'refresh_race');
    expect(race?.title).toBe('Two refreshes raced with the same refresh token');
    expect(race?.evidence.at(-1)).toMatch(/started \d+ ms after entry \d+/);
  });

  it('Firefox’s and mitmproxy’s shapes of the same recordings give the same findings', async () => {
    const firefox = (await diagnose('customer-double-callback', 'firefox')).report;
    expect(firefox.detail).toMatch(/^HAR 1\.2 from Firefox/);
    expect(firefox.diagnoses.filter((d) => d.severity === 'error').map((d) => d.rule)).toEqual([
      'code_reused',
    ]);
    const mitm = (await diagnose('customer-refresh-race', 'mitmproxy')).report;
    expect(mitm.detail).toMatch(/^HAR 1\.2 from mitmproxy/);
    // Its refreshes authenticate with HTTP Basic: the client_id is read from there, so no
    // "another app's token" is claimed.
    const errors = mitm.diagnoses.filter((d) => d.severity === 'error').map((d) => d.rule);
    expect(errors.sort()).toEqual(['refresh_race', 'token_after_refresh']);
  });

  it('a HAR of this debugger: its calls to PandaDoc are read out of its own /api answers', async () => {
    const { report } = await diagnose('app-flow');
    expect(report.timeline.map((s) => s.kind)).toEqual([
      'authorize',
      'consent',
      'callback',
      'exchange',
      'verify',
      'refresh',
      'verify',
      'refresh',
    ]);
    expect(report.timeline[3]?.where).toMatch(/\/sim\/oauth2\/access_token$/);
    // The recording reuses the old access token and the old refresh token after the refresh.
    const errors = report.diagnoses.filter((d) => d.severity === 'error').map((d) => d.rule);
    expect(errors.sort()).toEqual(['refresh_race', 'token_after_refresh']);
    expect(report.diagnoses.find((d) => d.rule === 'refresh_race')?.title).toBe(
      'One refresh token was used 2 times',
    );
  });

  it('no raw secret of the recording anywhere in the diagnosis or its Markdown', async () => {
    for (const name of ['customer-double-callback', 'customer-refresh-race', 'app-flow']) {
      const { report } = await diagnose(name);
      const out = JSON.stringify(report) + renderEvidenceMarkdown(report);
      for (const secret of secrets[name] ?? []) expect(out).not.toContain(secret);
    }
  });

  it('the sanitized HAR has none of them, and is still a HAR this reader takes', async () => {
    const name = 'customer-double-callback';
    const { evidence } = await diagnose(name);
    const out = await sanitizeEvidence(evidence, async () => text(name));
    if (!out.ok) throw new Error(out.message);
    for (const secret of secrets[name] ?? []) expect(out.text).not.toContain(secret);
    expect(out.replaced).toBeGreaterThan(5);
    const again = readHarText(out.text);
    expect(again.ok && again.evidence.total).toBe(22);
  });
});
