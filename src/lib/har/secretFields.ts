/**
 * What counts as a secret in a HAR file: by the name of the field that holds it (OAuth parameters,
 * JSON keys, headers, cookies) and by its shape (JWTs). Pure; used by the collector and the tests.
 *
 * Not secrets, on purpose: `client_id` (public by design, printed in authorize URLs), `scope`,
 * `redirect_uri`, `grant_type`, and `state`. State is a CSRF nonce that only ties one authorize
 * request to its callback; once the flow is over it grants nothing, and support needs to compare
 * it between the authorize request and the callback (missing, empty or changed).
 */

/** Secret field names, compared after lower-casing and dropping `-` and `_` (camelCase too). */
const SECRET_NAMES = new Set([
  'clientsecret',
  'code',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'codeverifier',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'token',
  'apikey',
  'secret',
  'clientassertion',
  'assertion',
  'sessiontoken',
  'authtoken',
]);

const normalize = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

const kinds = new Map<string, string | null>();

/** What kind of secret a field of this name holds, or null. (Names repeat: remembered.) */
export function secretKind(name: string): string | null {
  let kind = kinds.get(name);
  if (kind === undefined) {
    kind = kindOf(name);
    if (kinds.size < 10_000) kinds.set(name, kind);
  }
  return kind;
}

function kindOf(name: string): string | null {
  const key = normalize(name);
  if (key === 'code') return 'authorization code';
  if (key === 'clientsecret') return 'client_secret';
  if (key === 'accesstoken') return 'access token';
  if (key === 'refreshtoken') return 'refresh token';
  if (key === 'codeverifier') return 'code_verifier';
  // Suffixes catch the many spellings: csrf_token, x_auth_token, secret_key, new_password …
  if (SECRET_NAMES.has(key) || /(password|token|secret|secretkey|privatekey|apikey)$/.test(key)) {
    return /pass|pwd/.test(key) ? 'password' : 'token';
  }
  return null;
}

/**
 * `code` is also a common JSON key for an error code (`{"error":{"code":"bad_request"}}`), so in
 * JSON a code counts only when it looks like one: long, no spaces, not a snake_case word.
 */
export function looksLikeCode(value: string): boolean {
  return value.length >= 16 && /^[\w.~+/=-]+$/.test(value) && !/^[a-z_]+$/.test(value);
}

const credentialHeaders = new Map<string, boolean>();

/** Headers whose whole value is a credential (after the scheme, for Authorization). */
export function isCredentialHeader(name: string): boolean {
  let yes = credentialHeaders.get(name);
  if (yes === undefined) {
    yes = credentialHeaderName(name.toLowerCase());
    if (credentialHeaders.size < 10_000) credentialHeaders.set(name, yes);
  }
  return yes;
}

function credentialHeaderName(key: string): boolean {
  return (
    key === 'authorization' ||
    key === 'proxy-authorization' ||
    /(^|-)(api-?key|token|secret|auth)($|-)/.test(key) ||
    key === 'x-api-key'
  );
}

/** Three dot-separated base64url parts, the first a JSON object (`eyJ` is `{"`). */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/**
 * A fingerprint as fingerprint.ts writes it for values of 12 characters or more (`3f9a1c2e…c36a`):
 * already sanitized. (The hash-only form of short values is not recognised: a secret could look
 * like 8 hex characters.)
 */
export function looksLikeFingerprint(value: string): boolean {
  return /^[0-9a-f]{8}….{4}$/u.test(value);
}

/** Values that are placeholders or fingerprints already, not secrets. */
export function isPlaceholder(value: string): boolean {
  return (
    /^(\[?redacted\]?|\*+|x+|<[^>]*>|null|undefined|none|true|false)$/i.test(value.trim()) ||
    looksLikeFingerprint(value)
  );
}

/**
 * Below this length a value is still replaced where its field is known (a `password=` parameter,
 * a cookie), but not searched for elsewhere: `abc` would match half the file.
 */
export const MIN_GLOBAL_SECRET_LENGTH = 8;

export interface Credential {
  scheme: string;
  /** The credential after the scheme. */
  value: string;
  /** For Basic: the decoded `user:password`, when it decodes. */
  basic?: { user: string; password: string };
}

/** `Bearer x`, `Basic b64`, `API-Key k`, or a bare token. */
export function parseCredential(header: string): Credential | null {
  const match = /^\s*(?:([A-Za-z][\w-]*)\s+)?("?)(\S+?)\2\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1] ?? '';
  const value = match[3];
  if (scheme.toLowerCase() === 'basic') {
    const decoded = decodeBase64Text(value);
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded && colon >= 0) {
      return {
        scheme,
        value,
        basic: { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
      };
    }
  }
  return { scheme, value };
}

/** base64 or base64url → UTF-8 text, or null if it is not base64 of valid UTF-8. */
export function decodeBase64Text(value: string): string | null {
  try {
    const bytes = base64ToBytes(value);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function base64ToBytes(value: string): Uint8Array {
  const standard = value.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '');
  const binary = atob(standard);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export const utf8Base64 = (text: string) => bytesToBase64(new TextEncoder().encode(text));
