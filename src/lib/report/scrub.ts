/**
 * Replaces every secret the app holds with its fingerprint, in any text or JSON value. The report is
 * pasted into tickets, so this is the last line of defence: it runs on the finished output too.
 */
import { fingerprintAll } from '../fingerprint.ts';
import { SECRET_FIELDS } from '../oauth/tokenRequest.ts';
import { REDACTED } from '../api/wire.ts';

/** Values shorter than this are replaced by a plain marker: their fingerprint would show too much. */
const MIN_FINGERPRINTED = 12;

export interface Scrubber {
  /** `[3f9a1c2e…c36a]` for a known secret, `[secret]` for a short one; the value itself otherwise. */
  label(value: string): string;
  /** Every occurrence of every secret (raw, URL-, form- or JSON-encoded) replaced. */
  text(text: string): string;
  /**
   * A JSON value with secret strings replaced, keys included. With `secretFields`, the value of a
   * field named like a secret (access_token, code…) is hidden even when it is not a known secret.
   */
  json<T>(value: T, opts?: { secretFields?: boolean }): T;
  /** The secrets still present in `text` (should be none). */
  leaks(text: string): string[];
}

/** The spellings a secret can take inside a body, a URL or a JSON string. */
function variants(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  return [...new Set([secret, encodeURIComponent(secret), form, json])];
}

export async function createScrubber(secrets: Iterable<string>): Promise<Scrubber> {
  const all = [...new Set(secrets)].filter((s) => s !== '' && s !== REDACTED);
  const prints = await fingerprintAll(all);
  const label = (value: string): string => {
    const fp = prints.get(value);
    if (fp === undefined) return value;
    return value.length >= MIN_FINGERPRINTED ? `[${fp}]` : '[secret]';
  };
  // Longest first, so a secret that contains another is replaced whole.
  const pairs = all
    .flatMap((s) => variants(s).map((v) => [v, label(s)] as const))
    .sort((a, b) => b[0].length - a[0].length);

  const text = (input: string): string => {
    let out = input;
    for (const [needle, replacement] of pairs) out = out.split(needle).join(replacement);
    // A replacement may itself contain a short secret (a fingerprint's tail): remove until none is left.
    for (const s of all) {
      while (out.includes(s)) out = out.split(s).join('');
    }
    return out;
  };

  const json = <T>(value: T, opts: { secretFields?: boolean } = {}): T =>
    walk(value, null, opts.secretFields === true) as T;
  function walk(value: unknown, key: string | null, fields: boolean): unknown {
    if (typeof value === 'string') {
      if (
        fields &&
        key !== null &&
        SECRET_FIELDS.has(key) &&
        value !== '' &&
        value !== REDACTED &&
        !prints.has(value)
      ) {
        // A secret field this app never knew about: still not shown.
        return '[secret]';
      }
      return text(value);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, null, fields));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [text(k), walk(v, k, fields)]),
      );
    }
    return value;
  }

  const leaks = (output: string) => all.filter((s) => output.includes(s));
  return { label, text, json, leaks };
}
