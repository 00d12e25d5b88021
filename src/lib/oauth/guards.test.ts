import { describe, expect, it } from 'vitest';
import {
  isBoolean,
  isFiniteNumber,
  isNonEmptyString,
  isRecord,
  isString,
  looksLikeHtml,
  preview,
  readJsonBody,
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

describe('guards: exact edges', () => {
  it('counts a number as finite only when it is', () => {
    expect(isFiniteNumber(1)).toBe(true);
    expect(isFiniteNumber(Infinity)).toBe(false);
    expect(isFiniteNumber(NaN)).toBe(false);
    expect(isFiniteNumber('1')).toBe(false);
  });

  it('previews up to max characters exactly, on one line', () => {
    expect(preview('a'.repeat(40))).toBe('a'.repeat(40));
    expect(preview('a'.repeat(41))).toBe(`${'a'.repeat(39)}…`);
    expect(preview('  a \n\t b  ')).toBe('a b');
    expect(preview('abcdef', 5)).toBe('abcd…');
  });

  it('sees HTML by content type in any case, or by a leading "<" after white space', () => {
    expect(looksLikeHtml('Text/HTML; charset=utf-8', '{}')).toBe(true);
    expect(looksLikeHtml(null, '  \n<!doctype html>')).toBe(true);
    expect(looksLikeHtml('application/json', '{"a":"<b>"}')).toBe(false);
    expect(looksLikeHtml(null, '')).toBe(false);
  });

  it('names each unreadable body in its own message', () => {
    expect(readJsonBody(502, 'text/html', 'x', 'Hint here.')).toEqual({
      ok: false,
      kind: 'html',
      status: 502,
      message: 'HTTP 502: the upstream answered an HTML page, not JSON. Hint here.',
    });
    expect(readJsonBody(200, null, ' \n ', 'h')).toEqual({
      ok: false,
      kind: 'not_json',
      status: 200,
      message: 'HTTP 200 with an empty body; expected JSON.',
    });
    expect(readJsonBody(200, null, 'nope nope', 'h')).toEqual({
      ok: false,
      kind: 'not_json',
      status: 200,
      message: 'HTTP 200: the body is not JSON (it starts "nope nope").',
    });
    expect(readJsonBody(200, null, ' {"a":1} ', 'h')).toEqual({ ok: true, value: { a: 1 } });
  });
});
