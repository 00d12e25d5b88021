import { describe, expect, it } from 'vitest';
import { shellWord, splicedJson, splicedUrl, type Part } from './shellWords.ts';

const VARS = { code: 'CODE', client_secret: 'CLIENT_SECRET' };

/** The parts joined back, each variable shown as $NAME: what the shell would send. */
const shown = (parts: Part[] | null) =>
  parts?.map((p) => (typeof p === 'string' ? p : `$${p.variable}`)).join('') ?? null;

describe('splicedJson', () => {
  it('replaces only the object’s own members, wherever the same names hide inside', () => {
    const used = new Set<string>();
    const body =
      '{"a":["x",":","code"],"code":"c1","n":{"code":"inner"},"s":"\\"code\\":\\"no\\""}';
    expect(shown(splicedJson(body, VARS, used))).toBe(
      '{"a":["x",":","code"],"code":"$CODE","n":{"code":"inner"},"s":"\\"code\\":\\"no\\""}',
    );
    expect([...used]).toEqual(['CODE']);
  });

  it('keeps spacing and order, and handles an escaped quote in a secret', () => {
    const used = new Set<string>();
    const body = '{ "client_secret" : "a\\"b" ,\n "code": "c" }';
    expect(shown(splicedJson(body, VARS, used))).toBe(
      '{ "client_secret" : "$CLIENT_SECRET" ,\n "code": "$CODE" }',
    );
  });

  it('is null for anything but a JSON object with a secret member', () => {
    const used = new Set<string>();
    for (const body of ['["code","c"]', '{"code":1}', '{"grant_type":"x"}', 'code=c', '{"code":'])
      expect(splicedJson(body, VARS, used), body).toBeNull();
    expect(used.size).toBe(0);
  });
});

describe('splicedUrl', () => {
  it('replaces the values of secret parameters, the rest as sent', () => {
    const used = new Set<string>();
    const url = 'http://h/p?code=c1&x=%20y&client%5Fsecret=s&code&z=1#frag';
    expect(shown(splicedUrl(url, VARS, used))).toBe(
      'http://h/p?code=$CODE&x=%20y&client%5Fsecret=$CLIENT_SECRET&code&z=1#frag',
    );
    expect(shown(splicedUrl('http://h/p', VARS, used))).toBe('http://h/p');
  });
});

describe('shellWord', () => {
  it('quotes the text and leaves each variable to the shell', () => {
    expect(shellWord(["it's ", { variable: 'CODE' }, ''])).toBe(`'it'\\''s '"$CODE"`);
    expect(shellWord([''])).toBe("''");
  });
});
