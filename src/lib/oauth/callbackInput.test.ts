import { describe, expect, it } from 'vitest';
import { codeShapeWarnings, describeGarbage, extractCallbackParams } from './callbackInput.ts';

describe('extractCallbackParams', () => {
  it('recognises each input shape', () => {
    expect(extractCallbackParams('https://a.example/cb?code=x#frag')).toMatchObject({
      kind: 'params',
      source: 'url',
    });
    expect(extractCallbackParams('?code=x')).toMatchObject({ kind: 'params', source: 'query' });
    expect(extractCallbackParams('code=x&state=y')).toMatchObject({
      kind: 'params',
      source: 'query',
    });
    expect(extractCallbackParams('host:1/cb?code=x')).toMatchObject({
      kind: 'params',
      source: 'url',
    });
    expect(extractCallbackParams('abcdefgh')).toEqual({ kind: 'bare', code: 'abcdefgh' });
    expect(extractCallbackParams('http://[bad')).toMatchObject({ kind: 'fail' });
  });

  it('drops the fragment of a scheme-less URL', () => {
    const r = extractCallbackParams('host/cb?code=x#state=y');
    if (r.kind !== 'params') throw new Error('expected params');
    expect(r.params.get('code')).toBe('x');
    expect(r.params.has('state')).toBe(false);
  });
});

describe('describeGarbage', () => {
  it('always answers with the garbage code and a hint', () => {
    for (const text of ['<p>', '{}', 'a b', 'ab', '%%%%%%%%%%']) {
      const r = describeGarbage(text);
      expect(r.code).toBe('garbage');
      expect(r.hint).toMatch(/code/);
    }
  });
});

describe('codeShapeWarnings', () => {
  it('is silent for 40 lowercase hex', () => {
    expect(codeShapeWarnings('0123456789abcdef0123456789abcdef01234567')).toEqual([]);
  });

  it('names the length and what is wrong', () => {
    expect(codeShapeWarnings('abc123')[0]).toMatch(/this one is 6 characters\. Check that nothing/);
    expect(codeShapeWarnings('xyz-123_ABC')[0]).toMatch(/11 characters and not all hex/);
    expect(codeShapeWarnings('ABCDEF0123456789ABCDEF0123456789ABCDEF01')[0]).toMatch(/uppercase/);
  });
});

describe('extractCallbackParams: edges', () => {
  const hex40 = '0123456789abcdef0123456789abcdef01234567';

  it('reads the fragment only when the query carries neither code nor error, and says so', () => {
    const fromFragment = extractCallbackParams(`https://a.example/cb#code=${hex40}&state=s`);
    expect(fromFragment).toMatchObject({ kind: 'params', source: 'url' });
    if (fromFragment.kind !== 'params') throw new Error('expected params');
    expect(fromFragment.params.get('code')).toBe(hex40);
    expect(fromFragment.warnings).toEqual([expect.stringMatching(/#fragment, not the query/)]);

    const errorInFragment = extractCallbackParams('https://a.example/cb#error=access_denied');
    if (errorInFragment.kind !== 'params') throw new Error('expected params');
    expect(errorInFragment.params.get('error')).toBe('access_denied');
    expect(errorInFragment.warnings).toHaveLength(1);

    // The query wins over the fragment, with no warning, whether it carries a code or an error.
    for (const query of ['code=q', 'error=access_denied']) {
      const r = extractCallbackParams(`https://a.example/cb?${query}#code=f`);
      if (r.kind !== 'params') throw new Error('expected params');
      expect(r.params.get('code')).toBe(query.startsWith('code') ? 'q' : null);
      expect(r.warnings).toEqual([]);
    }
    // A fragment with neither is not read.
    const neither = extractCallbackParams('https://a.example/cb#state=s');
    if (neither.kind !== 'params') throw new Error('expected params');
    expect(neither.params.has('state')).toBe(false);
  });

  it('needs "scheme://" at the very start to treat input as a URL', () => {
    // "code=…" containing "http://" later is a query string, not a URL.
    const r = extractCallbackParams('code=x&next=http://a.example/');
    expect(r).toMatchObject({ kind: 'params', source: 'query' });
    expect(extractCallbackParams('x http://a.example/?code=1')).toMatchObject({ kind: 'fail' });
  });

  it('refuses text with spaces, HTML and JSON before looking for a query', () => {
    expect(extractCallbackParams('code = x')).toMatchObject({ kind: 'fail' });
    expect(extractCallbackParams('<a href="?code=x">')).toMatchObject({ kind: 'fail' });
    expect(extractCallbackParams('{"code":"x="}')).toMatchObject({ kind: 'fail' });
    expect(extractCallbackParams('["code=x"]')).toMatchObject({ kind: 'fail' });
    // Only a leading bracket counts: a code may end in anything a code may contain.
    expect(extractCallbackParams('abcdefgh<')).toMatchObject({ kind: 'fail' });
  });

  it('tells a query that starts the input from a URL without a scheme', () => {
    expect(extractCallbackParams('?code=x')).toMatchObject({ source: 'query' });
    expect(extractCallbackParams('/cb?code=x')).toMatchObject({ source: 'url' });
    const r = extractCallbackParams('?code=x#state=y');
    if (r.kind !== 'params') throw new Error('expected params');
    expect(r.params.get('code')).toBe('x');
    expect(r.params.has('state')).toBe(false);
    const noQuestionMark = extractCallbackParams('code=x#frag');
    if (noQuestionMark.kind !== 'params') throw new Error('expected params');
    expect(noQuestionMark.params.get('code')).toBe('x');
  });

  it('takes bare codes of 8 to 512 code characters', () => {
    expect(extractCallbackParams('a'.repeat(8))).toEqual({ kind: 'bare', code: 'a'.repeat(8) });
    expect(extractCallbackParams('a'.repeat(512))).toMatchObject({ kind: 'bare' });
    expect(extractCallbackParams('a'.repeat(7))).toMatchObject({ kind: 'fail' });
    expect(extractCallbackParams('a'.repeat(513))).toMatchObject({ kind: 'fail' });
    expect(extractCallbackParams('abc-._~12')).toMatchObject({ kind: 'bare' });
  });
});

describe('describeGarbage: the message names what the input looks like', () => {
  it.each([
    ['<html>', /looks like HTML/],
    ['{"a":1}', /looks like JSON/],
    ['[1,2]', /looks like JSON/],
    ['two words', /text with spaces \("two words"\)/],
    ['abc', /"abc" is only 3 characters; too short/],
    ['a'.repeat(513), /That is 513 characters; far too long/],
    ['abcdefgh!', /"abcdefgh!" contains characters a code never has/],
  ])('%s', (text, message) => {
    const r = describeGarbage(text);
    expect(r.message).toMatch(message);
    expect(r.hint).toMatch(/full address from the browser bar/);
  });

  it('counts exactly at the length limits', () => {
    expect(describeGarbage('a'.repeat(8)).message).toMatch(/contains characters/);
    expect(describeGarbage('a'.repeat(7)).message).toMatch(/too short/);
    expect(describeGarbage('a'.repeat(512)).message).toMatch(/contains characters/);
  });

  it('reads a JSON or HTML start only at the start', () => {
    expect(describeGarbage('abcdefgh{').message).toMatch(/contains characters/);
    expect(describeGarbage('abcdefgh[').message).toMatch(/contains characters/);
  });
});

describe('codeShapeWarnings: anchored checks', () => {
  it('warns about 40 hex characters with something around them', () => {
    const hex40 = '0123456789abcdef0123456789abcdef01234567';
    expect(codeShapeWarnings(`${hex40}x`)[0]).toMatch(/41 characters and not all hex/);
    expect(codeShapeWarnings(`x${hex40}`)[0]).toMatch(/41 characters and not all hex/);
    expect(codeShapeWarnings(`${hex40}0`)[0]).toMatch(/41 characters\. Check that nothing/);
    expect(codeShapeWarnings(`A${hex40.toUpperCase()}`)[0]).toMatch(/41 characters/);
    expect(codeShapeWarnings(`${hex40.toUpperCase()}A`)[0]).toMatch(/41 characters/);
    expect(codeShapeWarnings(`g${hex40.slice(1)}`)[0]).toMatch(/not all hex/);
    expect(codeShapeWarnings(`${hex40.slice(1)}g`)[0]).toMatch(/not all hex/);
  });

  it('explains an uppercase code as retyped', () => {
    expect(codeShapeWarnings('ABCDEF0123456789ABCDEF0123456789ABCDEF01')).toEqual([
      expect.stringMatching(/uppercase letters, so it was probably retyped.*invalid_grant/),
    ]);
  });
});

describe('extractCallbackParams: what a query string is', () => {
  it('treats a leading "?" as a query even without "="', () => {
    const r = extractCallbackParams('?abcdefgh');
    expect(r).toMatchObject({ kind: 'params', source: 'query', warnings: [] });
  });

  it('explains where the fragment parameters should have been', () => {
    const r = extractCallbackParams('https://a.example/cb#code=x');
    if (r.kind !== 'params') throw new Error('expected params');
    expect(r.warnings[0]).toMatch(/PandaDoc puts them in the query, so something rewrote this URL/);
    const plain = extractCallbackParams('host/cb?code=x');
    expect(plain).toMatchObject({ warnings: [] });
  });
});
