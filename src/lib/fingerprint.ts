/**
 * A stable, non-reversible label for a secret: `3f9a1c2e…c36a`. Support staff can match a token or
 * code against a customer's own logs (which usually show the tail) without anyone pasting it.
 */

/** Values shorter than this get no tail: four characters would give away too much of them. */
export const FINGERPRINT_TAIL_MIN_LENGTH = 12;

/**
 * First 8 hex characters of SHA-256(value), then `…` and the value's last 4 characters.
 * Short values (under 12 characters) get the hash part only. Uses WebCrypto (browser and Node 20).
 */
export async function fingerprint(value: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  const hex = Array.from(new Uint8Array(digest).subarray(0, 4), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  // Code points, not UTF-16 units, so an emoji at the end is not cut in half.
  const chars = [...value];
  return chars.length < FINGERPRINT_TAIL_MIN_LENGTH ? hex : `${hex}…${chars.slice(-4).join('')}`;
}

/** Fingerprints of several values at once, as a Map from value to fingerprint. Empty values are skipped. */
export async function fingerprintAll(values: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(values)].filter((v) => v !== '');
  const prints = await Promise.all(unique.map(fingerprint));
  return new Map(unique.map((v, i) => [v, prints[i] ?? '']));
}
