/**
 * The support report's evidence section: the last diagnosed evidence's timeline and diagnoses
 * (fingerprints only: the evidence diagnosis is scrubbed of every secret it read, and the report
 * scrubs and leak-checks it again with everything else). The Diagnose evidence section hands it
 * over here; nothing is stored.
 */
import { renderEvidenceMarkdown } from '../evidence/markdown.ts';
import type { EvidenceReport } from '../evidence/types.ts';
import type { Scrubber } from './scrub.ts';

let current: EvidenceReport | null = null;

/** Diagnose evidence calls this with each new diagnosis (null while none is shown). */
export function setReportEvidence(report: EvidenceReport | null): void {
  current = report;
}

/** The evidence diagnosis the report should carry, if any. */
export function reportEvidence(): EvidenceReport | null {
  return current;
}

export const EVIDENCE_SECTION_TITLE = 'Evidence diagnosis';

/** The report section (ReportInput.sections) for an evidence diagnosis. */
export function evidenceSection(report: EvidenceReport) {
  return (scrub: Scrubber) => ({
    title: EVIDENCE_SECTION_TITLE,
    // Rendered one level down; its own title line is the section's heading.
    markdown: renderEvidenceMarkdown(report, { level: 2 }).split('\n').slice(2).map(scrub.text),
    data: scrub.json(report),
  });
}

/** The sections to add to a report now: the evidence section when evidence was diagnosed. */
export function reportSections() {
  return current ? [evidenceSection(current)] : [];
}
