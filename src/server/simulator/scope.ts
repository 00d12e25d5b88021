/**
 * PandaDoc's scope rules (inferred from django-oauth2-provider, see docs/pandadoc-oauth.md §1):
 * read=2, write=4, read+write=6; names are split on spaces after form decoding.
 */

import { SCOPE_BITS } from '../../lib/oauth/scope.ts';

export { SCOPE_BITS };
export const READ = SCOPE_BITS.read!;
export const WRITE = SCOPE_BITS.write!;
export const READ_WRITE = SCOPE_BITS['read+write']!;

export type ScopeStyle = 'pandadoc' | 'spec';

export type ScopeParse = { ok: true; names: string[] } | { ok: false; invalid: string };

/**
 * Split an already form-decoded scope value (`+` is a space by now) into names and validate each.
 * Empty pieces from doubled or trailing spaces are skipped. `null`/empty → no names.
 */
export function parseScope(value: string | null | undefined): ScopeParse {
  const names = (value ?? '').split(' ').filter((name) => name !== '');
  for (const name of names) {
    if (!Object.hasOwn(SCOPE_BITS, name)) return { ok: false, invalid: name };
  }
  return { ok: true, names };
}

/** OR of the names' bits; 0 when there are none. */
export function scopeBits(names: readonly string[]): number {
  return names.reduce((bits, name) => bits | (SCOPE_BITS[name] ?? 0), 0);
}

/** What an authorization grants: the OR of the names, always including read (omitted → read). */
export function grantFor(names: readonly string[]): number {
  return scopeBits(names) | READ;
}

/** True when every bit wanted is held (and something is wanted). */
export function scopeWithin(wanted: number, held: number): boolean {
  return wanted !== 0 && (wanted & held) === wanted;
}

/** The `scope` string of a token response: every scope name whose bits are all in the grant. */
export function scopeString(grant: number, style: ScopeStyle = 'pandadoc'): string {
  if ((grant & WRITE) === 0) return 'read';
  return style === 'spec' ? 'read+write' : 'read write read+write';
}

export const SCOPE_EXPLANATIONS: Readonly<Record<'read' | 'write', string>> = {
  read: 'View templates, documents and their details',
  write: 'Create, send, delete and download documents',
};
