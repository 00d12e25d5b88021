/** Messages between the Diagnose evidence section and its worker. */
import type { SanitizedHar } from '../lib/evidence/sanitized.ts';
import type { EvidenceError, EvidenceReport } from '../lib/evidence/types.ts';

export type ToWorker =
  | { type: 'file'; file: File }
  | { type: 'text'; text: string }
  /** A sanitized HAR of the evidence read last. */
  | { type: 'sanitize' };

export type FromWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'diagnosing' }
  | { type: 'report'; report: EvidenceReport }
  | { type: 'error'; error: EvidenceError }
  | {
      type: 'sanitized';
      result: Exclude<SanitizedHar, { ok: true }> | { ok: true; blob: Blob; replaced: number };
    };
