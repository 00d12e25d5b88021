/** Random values and PKCE helpers on WebCrypto, so the same code runs in the browser and Node 20. */

/** base64url without padding. @see RFC 4648 §5 */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `byteLength` random bytes from `crypto.getRandomValues`, base64url-encoded. */
export function randomUrlSafe(byteLength = 32): string {
  if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > 65536) {
    throw new RangeError(`byteLength must be an integer from 1 to 65536, got ${byteLength}`);
  }
  const bytes = new Uint8Array(byteLength);
  globalThis.crypto.getRandomValues(bytes);
  return base64UrlEncode(bytes);
}

/** An unguessable `state` value (32 random bytes). @see RFC 6749 §10.12 */
export function createState(): string {
  return randomUrlSafe(32);
}

/** A PKCE code verifier: 32 random bytes → 43 base64url characters. @see RFC 7636 §4.1 */
export function createCodeVerifier(): string {
  return randomUrlSafe(32);
}

const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** 43..128 characters of the unreserved set `[A-Za-z0-9-._~]`. @see RFC 7636 §4.1 */
export function isValidCodeVerifier(v: string): boolean {
  return CODE_VERIFIER.test(v);
}

/** BASE64URL(SHA256(ASCII(code_verifier))). @see RFC 7636 §4.2 */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(verifier),
  );
  return base64UrlEncode(new Uint8Array(digest));
}
