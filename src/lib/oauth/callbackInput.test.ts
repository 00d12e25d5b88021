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
