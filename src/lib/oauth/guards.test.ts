import { describe, expect, it } from 'vitest';
import {
  isBoolean,
  isFiniteNumber,
  isNonEmptyString,
  isRecord,
  isString,
  looksLikeHtml,
  preview,
  tryParseJson,
} from './guards.ts';

describe('type checks', () => {
  it('narrow unknown values', () => {
    expect([{}, { a: 1 }].every(isRecord)).toBe(true);
    expect([null, [], 'x', 1].some(isRecord)).toBe(false);
    expect(isString('')).toBe(true);
    expect(isNonEmptyString('')).toBe(false);
    expect(isFiniteNumber(1)).toBe(true);
    expect([NaN, Infinity, '1'].some(isFiniteNumber)).toBe(false);
    expect(isBoolean(false)).toBe(true);
    expect(isBoolean(0)).toBe(false);
  });
});

describe('preview', () => {
  it('keeps short text and cuts long text to the limit', () => {
    expect(preview('  a \n b ')).toBe('a b');
    const cut = preview('x'.repeat(100));
    expect(cut).toHaveLength(40);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('tryParseJson', () => {
  it('never throws', () => {
    expect(tryParseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(tryParseJson('null')).toEqual({ ok: true, value: null });
    expect(tryParseJson('{')).toEqual({ ok: false });
  });
});

describe('looksLikeHtml', () => {
  it('checks content type and a leading <', () => {
    expect(looksLikeHtml('text/html; charset=utf-8', '{}')).toBe(true);
    expect(looksLikeHtml(null, '\n <html>')).toBe(true);
    expect(looksLikeHtml('application/json', '{"a":"<b>"}')).toBe(false);
  });
});
