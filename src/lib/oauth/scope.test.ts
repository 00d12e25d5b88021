import { describe, expect, it } from 'vitest';
import {
  describeScope,
  explainScopeEncodings,
  formDecode,
  grantedScopeNames,
  KNOWN_SCOPES,
  scopeStringForBits,
  splitRequestedScope,
} from './scope.ts';

describe('splitRequestedScope', () => {
  it('form-decodes before splitting, like PandaDoc', () => {
    expect(splitRequestedScope('read+write')).toEqual(['read', 'write']);
    expect(splitRequestedScope('read%2Bwrite')).toEqual(['read+write']);
    expect(splitRequestedScope('read%2bwrite')).toEqual(['read+write']);
    expect(splitRequestedScope('read write')).toEqual(['read', 'write']);
    expect(splitRequestedScope('read%20write')).toEqual(['read', 'write']);
  });

  it('drops empty pieces and survives a stray %', () => {
    expect(splitRequestedScope('')).toEqual([]);
    expect(splitRequestedScope('  read++write ')).toEqual(['read', 'write']);
    expect(splitRequestedScope('100%')).toEqual(['100%']);
    expect(formDecode('a+b%zz')).toBe('a b%zz');
  });
});

describe('grantedScopeNames', () => {
  it('splits the response string on spaces only', () => {
    expect(grantedScopeNames('read write read+write')).toEqual(['read', 'write', 'read+write']);
    expect(grantedScopeNames('read+write')).toEqual(['read+write']);
    expect(grantedScopeNames('')).toEqual([]);
  });
});

describe('scopeStringForBits', () => {
  it('names every scope whose bits are all present', () => {
    expect(scopeStringForBits(2)).toBe('read');
    expect(scopeStringForBits(4)).toBe('write');
    expect(scopeStringForBits(6)).toBe('read write read+write');
    expect(scopeStringForBits(0)).toBe('');
  });
});

describe('describeScope', () => {
  it('explains the known scopes', () => {
    for (const name of KNOWN_SCOPES)
      expect(describeScope(name)).toMatch(new RegExp(`^${name.replace('+', '\\+')}:`));
  });

  it('says PandaDoc rejects unknown names', () => {
    expect(describeScope('openid')).toMatch(/rejects/);
    expect(describeScope('x'.repeat(200)).length).toBeLessThan(220);
  });
});

describe('explainScopeEncodings', () => {
  it('covers the four encodings, each decoded the way splitRequestedScope does', () => {
    const rows = explainScopeEncodings();
    expect(rows.map((r) => r.sent)).toEqual([
      'read+write',
      'read%2Bwrite',
      'read write',
      'read%20write',
    ]);
    for (const r of rows) expect(r.grants).toContain('"read write read+write"');
    expect(rows[1]?.decodedAs).toContain('one name');
  });
});

describe('scope: exact edges', () => {
  it('splits a granted scope on any run of white space', () => {
    expect(grantedScopeNames(' read\twrite\n read+write ')).toEqual([
      'read',
      'write',
      'read+write',
    ]);
  });

  it('names no scope for no bits, and never an unknown name', () => {
    expect(scopeStringForBits(0)).toBe('');
    expect(scopeStringForBits(2)).toBe('read');
    expect(scopeStringForBits(4)).toBe('write');
    expect(scopeStringForBits(6)).toBe('read write read+write');
    expect(scopeStringForBits(1)).toBe('');
  });

  it('explains the four encodings with what each decodes to', () => {
    const rows = explainScopeEncodings();
    expect(rows.map((r) => r.decodedAs)).toEqual([
      '"read write" (the + is a form-encoded space): two names, read and write',
      '"read+write": one name, read+write',
      '"read write" (a raw space, which browsers send as %20 or +): two names, read and write',
      '"read write": two names, read and write',
    ]);
    for (const r of rows) expect(r.grants).toMatch(/^read and write: bits 2\|4 = 6/);
  });
});
