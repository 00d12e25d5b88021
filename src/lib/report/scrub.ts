/**
 * Replaces every secret the app holds with its fingerprint, in any text or JSON value. The report is
 * pasted into tickets, so this is the last line of defence: the finished output is checked too.
 *
 * A string is searched for each spelling of each secret; where one is found, one regular
 * expression replaces them all in a single pass. Short strings (a history note, an error code:
 * the same few repeat across 10,000 steps) are remembered, so a long history costs one map lookup
 * per field, not one search per secret.
 */
import { fingerprintAll } from '../fingerprint.ts';
import { SECRET_FIELDS } from '../oauth/tokenRequest.ts';
import { REDACTED } from '../api/wire.ts';

/** Values shorter than this are replaced by a plain marker: their fingerprint would show too much. */
const MIN_FINGERPRINTED = 12;
/** Strings up to this length are remembered once scrubbed (notes, codes, fingerprints). */
const MEMO_MAX_LENGTH = 256;

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
  /** The secrets still present in `text` in any spelling (should be none). */
  leaks(text: string): string[];
}

/** The spellings a secret can take inside a body, a URL or a JSON string. */
function variants(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  return [...new Set([secret, encodeURIComponent(secret), form, json])];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern matching any of `needles`, longest first so a secret containing another wins. */
function anyOf(needles: string[]): RegExp | null {
  if (needles.length === 0) return null;
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

export async function createScrubber(secrets: Iterable<string>): Promise<Scrubber> {
  const all = [...new Set(secrets)].filter((s) => s !== '' && s !== REDACTED);
  const prints = await fingerprintAll(all);
  const label = (value: string): string => {
    const fp = prints.get(value);
    if (fp === undefined) return value;
    return value.length >= MIN_FINGERPRINTED ? `[${fp}]` : '[secret]';
  };
  /** Each spelling → the secret it spells. */
  const spelling = new Map<string, string>();
  for (const s of all)
    for (const v of variants(s)) if (!spelling.has(v) || v === s) spelling.set(v, s);
  const pattern = anyOf([...spelling.keys()]);
  const raw = anyOf(all);
  const shortest = Math.min(...[...spelling.keys()].map((v) => v.length));
  const memo = new Map<string, string>();

  const spellings = [...spelling.keys()];
  // A plain search per spelling is much faster than one pattern of many alternatives, and almost
  // every string has no secret in it: the pattern runs only where one was seen.
  const mayHold = (input: string) => spellings.some((v) => input.includes(v));
  const replaceAll = (input: string): string => {
    if (!pattern || input.length < shortest || !mayHold(input)) return input;
    let out = input.replace(pattern, (m) => label(spelling.get(m) ?? m));
    // A replacement may itself contain a short secret (a fingerprint's tail): remove until none is left.
    while (raw && out.search(raw) !== -1) out = out.replace(raw, '');
    return out;
  };
  const text = (input: string): string => {
    if (input.length > MEMO_MAX_LENGTH) return replaceAll(input);
    let out = memo.get(input);
    if (out === undefined) {
      out = replaceAll(input);
      memo.set(input, out);
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

  const leaks = (output: string): string[] => {
    const found = new Set<string>();
    for (const v of spellings) if (output.includes(v)) found.add(spelling.get(v) ?? v);
    return [...found];
  };
  return { label, text, json, leaks };
}
