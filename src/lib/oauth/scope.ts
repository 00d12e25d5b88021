/** PandaDoc's three scope names, how clients encode them, and why the response repeats them. */

/** The only names PandaDoc accepts. */
export const KNOWN_SCOPES: readonly string[] = Object.freeze(['read', 'write', 'read+write']);

/** Bits behind each name (django-oauth2-provider): the grant is the OR of the names requested. */
export const SCOPE_BITS: Readonly<Record<string, number>> = Object.freeze({
  read: 2,
  write: 4,
  'read+write': 6,
});

/** Form-decodes one value: `+` → space first, then percent-escapes (`%2B` → `+`). */
export function formDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray `%` that is not an escape; browsers and servers keep such text as-is.
    return spaced;
  }
}

/**
 * Splits a scope as written in a URL or form the way PandaDoc does: form-decode, then split on
 * spaces. So `read+write` → ['read', 'write'] but `read%2Bwrite` → ['read+write'].
 * @see RFC 6749 §3.3
 */
export function splitRequestedScope(scope: string): string[] {
  return formDecode(scope)
    .split(' ')
    .filter((s) => s !== '');
}

/** Names in a token response's `scope` (plain JSON text, not form-encoded): split on spaces only. */
export function grantedScopeNames(scopeString: string): string[] {
  return scopeString.split(/\s+/).filter((s) => s !== '');
}

/** The scope string PandaDoc answers for a grant: every name whose bits are all present. */
export function scopeStringForBits(bits: number): string {
  return KNOWN_SCOPES.filter((name) => {
    const need = SCOPE_BITS[name] ?? 0;
    return need !== 0 && (bits & need) === need;
  }).join(' ');
}

/** Plain-language meaning of one scope name. */
export function describeScope(name: string): string {
  switch (name) {
    case 'read':
      return 'read: view documents, templates, contacts and account details. Always part of the grant, even if not asked for.';
    case 'write':
      return 'write: create, send and change documents and other objects. PandaDoc adds read to it, so it grants the same as read+write.';
    case 'read+write':
      return 'read+write: both read and write. Written with a literal +, which must reach PandaDoc as %2B (or be sent as "read write") to mean the same.';
    default:
      return `"${name.slice(0, 40)}" is not a PandaDoc scope; PandaDoc rejects it ("'${name.slice(0, 40)}' is not a valid scope."). Only read, write and read+write exist.`;
  }
}

/**
 * Four ways real clients send "read and write", and why every one is answered with
 * `"read write read+write"`: the grant is read|write = 2|4 = 6, and the response names every scope
 * whose bits are all present (read=2, write=4, read+write=6).
 */
export function explainScopeEncodings(): Array<{
  sent: string;
  decodedAs: string;
  grants: string;
}> {
  const why =
    'bits 2|4 = 6, so PandaDoc answers "read write read+write": it names every scope whose bits are all present (read=2, write=4, read+write=6).';
  return [
    {
      sent: 'read+write',
      decodedAs: '"read write" (the + is a form-encoded space): two names, read and write',
      grants: `read and write: ${why}`,
    },
    {
      sent: 'read%2Bwrite',
      decodedAs: '"read+write": one name, read+write',
      grants: `read and write: ${why}`,
    },
    {
      sent: 'read write',
      decodedAs:
        '"read write" (a raw space, which browsers send as %20 or +): two names, read and write',
      grants: `read and write: ${why}`,
    },
    {
      sent: 'read%20write',
      decodedAs: '"read write": two names, read and write',
      grants: `read and write: ${why}`,
    },
  ];
}
