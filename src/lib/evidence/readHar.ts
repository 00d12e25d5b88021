/**
 * Reads a HAR file chunk by chunk: checks it is text, then JSON, then a HAR; keeps only the entries
 * that may be part of the OAuth story and counts the rest. Bodies of unrelated entries are never
 * kept: each entry's text is dropped as soon as it has been looked at.
 */
import { isRecord, preview, tryParseJson } from '../oauth/guards.ts';
import { HarScanner, type HarScanSummary } from './harScan.ts';
import { readHarEntry } from './harEntry.ts';
import { MAYBE_RELEVANT } from './roles.ts';
import { formatBytes, MAX_EVIDENCE_BYTES, tooLarge } from './size.ts';
import type { EvidenceEntry, EvidenceError, EvidenceResult } from './types.ts';

export { formatBytes, MAX_EVIDENCE_BYTES, tooLarge };

/** Text a browser decoded from a binary file: NULs, control characters, U+FFFD. */
export function binaryKind(head: string): string | null {
  if (head.startsWith('PK\u0003\u0004'))
    return 'a ZIP archive: unzip it and choose the .har inside';
  if (head.charCodeAt(0) === 0x1f) return 'a gzip file: unpack it first';
  const sample = head.slice(0, 4096);
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return 'binary data, not text';
    if ((c < 9 || (c > 13 && c < 32) || c === 0xfffd) && c !== 0xfeff) odd++;
  }
  return odd > sample.length / 100 ? 'binary data, not text' : null;
}

function describeCreator(meta: Record<string, string>): string {
  const read = (key: string) => {
    const parsed = meta[key] ? tryParseJson(meta[key]) : ({ ok: false } as const);
    if (!parsed.ok || !isRecord(parsed.value)) return '';
    const { name, version } = parsed.value;
    return [name, version].filter((v) => typeof v === 'string' && v).join(' ');
  };
  const version = meta.version ? tryParseJson(meta.version) : ({ ok: false } as const);
  const v = version.ok && typeof version.value === 'string' ? ` ${version.value}` : '';
  const creator = read('creator');
  const browser = read('browser');
  return `HAR${v}${creator ? ` from ${creator}` : ''}${browser && browser !== creator ? ` (${browser})` : ''}`;
}

export class HarReader {
  private readonly kept: EvidenceEntry[] = [];
  private readonly badEntries: number[] = [];
  private readonly scanner = new HarScanner((text, n) => this.entry(text, n));
  private head = '';
  private error: EvidenceError | null = null;

  /** Feed the next piece of text. Returns false once the text is known not to be a HAR. */
  push(chunk: string): boolean {
    if (this.error) return false;
    if (this.head.length < 4096) {
      this.head += chunk.slice(0, 4096);
      const binary = binaryKind(this.head);
      if (binary) {
        this.error = {
          code: 'binary',
          message: `This file is ${binary}. Choose the .har file itself (a text file).`,
        };
        return false;
      }
    }
    this.scanner.push(chunk);
    return !this.scanner.rejected;
  }

  private entry(text: string, n: number): void {
    // Most of a HAR is unrelated: skip those without parsing them.
    if (!MAYBE_RELEVANT.test(text)) return;
    const parsed = tryParseJson(text);
    if (!parsed.ok) {
      this.badEntries.push(n);
      return;
    }
    const read = readHarEntry(parsed.value, n);
    if (read) this.kept.push(read.entry);
  }

  finish(): EvidenceResult {
    if (this.error) return { ok: false, error: this.error };
    const s = this.scanner.end();
    const bad = this.shapeError(s);
    if (bad) return { ok: false, error: bad };
    const notes: string[] = [];
    if (s.truncated) {
      notes.push(
        `The file is cut off: it ends ${s.truncatedInEntry ? `in the middle of entry ${s.entries + 1}` : 'before the HAR is complete'}. The ${s.entries} entries before that were read; ask for the file again if the end matters.`,
      );
    }
    if (this.badEntries.length) {
      notes.push(
        `${this.badEntries.length} entr${this.badEntries.length === 1 ? 'y' : 'ies'} could not be read as JSON and ${this.badEntries.length === 1 ? 'was' : 'were'} skipped (entry ${this.badEntries.slice(0, 5).join(', ')}${this.badEntries.length > 5 ? ' …' : ''}).`,
      );
    }
    return {
      ok: true,
      evidence: {
        source: 'har',
        detail: `${describeCreator(s.meta)}, ${s.entries} entr${s.entries === 1 ? 'y' : 'ies'}`,
        entries: this.kept,
        total: s.entries,
        notes,
      },
    };
  }

  private shapeError(s: HarScanSummary): EvidenceError | null {
    if (s.first === null) {
      return { code: 'empty', message: 'The file is empty (or only whitespace).' };
    }
    if (s.first !== '{' && s.first !== '[') {
      return {
        code: 'not_json',
        message: `This is not a HAR file: a HAR is JSON and starts with "{", but this starts "${preview(this.head.trimStart(), 30)}".`,
      };
    }
    // A short text is all in `head`: tell "not JSON at all" from "JSON, not a HAR".
    if (s.chars <= 4096 && !s.sawEntries && !tryParseJson(this.head).ok) {
      return {
        code: 'not_json',
        message: `This starts like JSON ("${preview(this.head.trimStart(), 30)}") but is not valid JSON, so it is not a HAR.`,
      };
    }
    if (s.truncated && !s.sawEntries) {
      return {
        code: 'truncated',
        message: `The file is cut off before its entries begin (after ${s.chars} characters), so nothing in it can be read. Ask for the file again.`,
      };
    }
    if (s.first === '[' || !s.rootKeys.includes('log')) {
      const keys = s.rootKeys.slice(0, 6).map((k) => `"${k}"`);
      return {
        code: 'not_har',
        message: `This is JSON, but not a HAR: a HAR has a "log" object with "entries"; this has ${s.first === '[' ? 'an array at the top' : keys.length ? `top-level keys ${keys.join(', ')}` : 'an empty object'}.`,
      };
    }
    if (!s.sawEntries) {
      return {
        code: 'not_har',
        message:
          'This looks like a HAR, but its "log" has no "entries" array, so there is nothing to read.',
      };
    }
    if (s.truncated && s.entries === 0) {
      return {
        code: 'truncated',
        message:
          'The file is cut off in its first entry, so nothing in it can be read. Ask for the file again.',
      };
    }
    return null;
  }
}

/** A whole HAR text at once (a paste, a test), in the same way as a stream. */
export function readHarText(text: string, chunkSize = 1 << 20): EvidenceResult {
  const reader = new HarReader();
  for (let i = 0; i < text.length; i += chunkSize) {
    if (!reader.push(text.slice(i, i + chunkSize))) break;
  }
  return reader.finish();
}
