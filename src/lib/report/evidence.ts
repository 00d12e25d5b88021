/**
 * The support report's evidence section: the last diagnosed evidence's timeline and diagnoses
 * (fingerprints only: the evidence diagnosis is scrubbed of every secret it read). The Diagnose
 * evidence section hands it over here; nothing is stored.
 */
import { renderEvidenceMarkdown } from '../evidence/markdown.ts';
import type { EvidenceReport } from '../evidence/types.ts';

let current: EvidenceReport | null = null;

/** Diagnose evidence calls this with each new diagnosis (null while none is shown). */
export function setReportEvidence(report: EvidenceReport | null): void {
  current = report;
}

/** The evidence diagnosis the report should carry, if any. */
export function reportEvidence(): EvidenceReport | null {
  return current;
}

/** The report's Markdown section for it: headings one level down, under "## Evidence diagnosis". */
export function evidenceMarkdown(report: EvidenceReport): string {
  return renderEvidenceMarkdown(report, { level: 2 });
}
