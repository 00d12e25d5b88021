/**
 * How big evidence may be, in one import-free module: the section's UI needs these numbers without
 * pulling the reader into the page's chunks (the reader runs in the worker).
 */
import type { EvidenceError } from './types.ts';

/** Real HAR files are 5–200 MB; anything over this is refused before a byte is read. */
export const MAX_EVIDENCE_BYTES = 300 * 1024 * 1024;

export function tooLarge(bytes: number): EvidenceError | null {
  if (bytes <= MAX_EVIDENCE_BYTES) return null;
  return {
    code: 'too_large',
    message: `This file is ${formatBytes(bytes)}; the limit is ${formatBytes(MAX_EVIDENCE_BYTES)}, and it was not read. Record a shorter session: clear the Network panel, then reproduce only the sign-in and the failing call.`,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
