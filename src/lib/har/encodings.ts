/**
 * The forms a secret takes on the wire and in files: raw, URL-encoded (both `%20` and form `+`),
 * JSON-escaped, and base64. The sanitizer replaces each form with the same form of the
 * fingerprint; the leak check searches the output for all of them.
 */
import { bytesToBase64, utf8Base64 } from './secretFields.ts';

/** application/x-www-form-urlencoded, as URLSearchParams writes it (space → `+`). */
export const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1);
const base64Url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export interface Form {
  /** "raw", "URL-encoded", "base64" …: said in a LeakReport. */
  name: string;
  encode: (value: string) => string;
}

/** Forms that can be swapped one for one: the fingerprint's form goes where the secret's was. */
export const REPLACEABLE_FORMS: readonly Form[] = [
  { name: 'raw', encode: (v) => v },
  { name: 'URL-encoded', encode: encodeURIComponent },
  { name: 'URL-encoded', encode: formEncode },
  { name: 'URL-encoded twice', encode: (v) => encodeURIComponent(encodeURIComponent(v)) },
  { name: 'JSON-escaped', encode: jsonEscape },
  { name: 'base64', encode: utf8Base64 },
  { name: 'base64', encode: (v) => base64Url(utf8Base64(v)) },
];

/**
 * The base64 characters that depend on the secret's bytes alone, for each of the three positions
 * a secret can start at inside a base64 stream (its offset modulo 3). Whatever comes before or
 * after it, base64 of any text containing the secret contains one of these three strings.
 */
export function base64Fragments(value: string): string[] {
  const bytes = new TextEncoder().encode(value);
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = bytesToBase64(padded).replace(/=+$/, '');
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const fragment = encoded.slice(start, end);
    if (fragment.length >= 8) fragments.push(fragment, base64Url(fragment));
  }
  return [...new Set(fragments)];
}

/** Every form the leak check searches for: the replaceable ones and the base64 fragments. */
export function searchForms(value: string): { name: string; text: string }[] {
  const forms = REPLACEABLE_FORMS.map((f) => ({ name: f.name, text: f.encode(value) }));
  for (const text of base64Fragments(value)) forms.push({ name: 'base64', text });
  const seen = new Set<string>();
  return forms.filter((f) => f.text !== '' && !seen.has(f.text) && seen.add(f.text));
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
