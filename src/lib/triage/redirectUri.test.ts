import { describe, expect, it } from 'vitest';
import { compareRedirectUris } from './redirectUri.ts';

const BASE = 'http://127.0.0.1:5173/callback';
const parts = (a: string, b: string) => compareRedirectUris(a, b).map((d) => d.part);

describe('compareRedirectUris', () => {
  it('finds nothing in identical strings', () => {
    expect(compareRedirectUris(BASE, BASE)).toEqual([]);
  });

  it.each([
    ['https://127.0.0.1:5173/callback', ['scheme'], 'Scheme: http vs https.'],
    [
      'http://localhost:5173/callback',
      ['host'],
      'Host: 127.0.0.1 vs localhost (both mean this machine, but they are different strings).',
    ],
    ['http://127.0.0.1:5174/callback', ['port'], 'Port: ":5173" vs ":5174".'],
    ['http://127.0.0.1/callback', ['port'], 'Port: ":5173" vs (none).'],
    [
      'http://127.0.0.1:5173/callback/',
      ['trailing_slash'],
      'Trailing slash: only the second ends the path with "/".',
    ],
    [
      'http://127.0.0.1:5173/Callback',
      ['path'],
      'Path: /callback vs /Callback (differs only in letter case, which counts).',
    ],
    ['http://127.0.0.1:5173/cb', ['path'], 'Path: /callback vs /cb.'],
    ['http://127.0.0.1:5173/callback?x=1', ['query'], 'Query: (none) vs "?x=1".'],
    ['http://127.0.0.1:5173/callback#top', ['fragment'], 'Fragment: (none) vs "#top".'],
  ])('names the difference with %s', (other, expected, message) => {
    const diffs = compareRedirectUris(BASE, other);
    expect(diffs.map((d) => d.part)).toEqual(expected);
    expect(diffs[0]?.message).toBe(message);
  });

  it('names a default port written out, which the URL parser would hide', () => {
    expect(
      compareRedirectUris('http://example.com:80/cb', 'http://example.com/cb')[0]?.message,
    ).toBe('Port: ":80" vs (none).');
  });

  it('lists several differences at once', () => {
    expect(parts(BASE, 'https://localhost/callback/')).toEqual([
      'scheme',
      'host',
      'port',
      'trailing_slash',
    ]);
  });

  it('falls back to the text when the parsed URLs agree', () => {
    const d = compareRedirectUris('HTTP://127.0.0.1:5173/callback', BASE);
    expect(d).toHaveLength(1);
    expect(d[0]?.part).toBe('text');
    expect(d[0]?.message).toMatch(/from character 1 \("HTTP:/);
  });

  it('copes with something that is not a URL', () => {
    expect(compareRedirectUris('/callback', BASE)[0]?.message).toBe(
      'The first is not an absolute URL, and the two strings differ.',
    );
  });
});

describe('compareRedirectUris: exact edges', () => {
  const one = (a: string, b: string) => compareRedirectUris(a, b);

  it('says which side is not an absolute URL', () => {
    expect(one(BASE, 'callback')).toEqual([
      {
        part: 'text',
        a: BASE,
        b: 'callback',
        message: 'The second is not an absolute URL, and the two strings differ.',
      },
    ]);
  });

  it('reads the written port past user info and an IPv6 host', () => {
    expect(one('http://u:p@example.com:80/cb', 'http://u:p@example.com/cb')).toEqual([
      { part: 'port', a: ':80', b: '', message: 'Port: ":80" vs (none).' },
    ]);
    expect(one('http://[::1]:8080/cb', 'http://[::1]/cb')[0]?.message).toBe(
      'Port: ":8080" vs (none).',
    );
    // An IPv6 host with no port: its colons are not a port.
    expect(one('http://[::1]/cb', 'http://[::1]/cb2')[0]?.part).toBe('path');
    // An empty port ("host:") is written differently but means the same: a text difference.
    expect(one('http://example.com:/cb', 'http://example.com/cb')).toEqual([
      { part: 'port', a: ':', b: '', message: 'Port: ":" vs (none).' },
    ]);
    // A colon later in the path is not a port.
    expect(one('http://example.com/a:1', 'http://example.com/a:2')[0]?.part).toBe('path');
  });

  it('gives parts without their punctuation', () => {
    expect(one('http://a.example/cb', 'https://a.example/cb')[0]).toMatchObject({
      a: 'http',
      b: 'https',
    });
    expect(one('http://a.example/cb', 'http://b.example/cb')[0]).toEqual({
      part: 'host',
      a: 'a.example',
      b: 'b.example',
      message: 'Host: a.example vs b.example.',
    });
    // Only when both are this machine does it say so.
    expect(one('http://localhost/cb', 'http://b.example/cb')[0]?.message).toBe(
      'Host: localhost vs b.example.',
    );
    expect(one('http://b.example/cb', 'http://127.0.0.1/cb')[0]?.message).toBe(
      'Host: b.example vs 127.0.0.1.',
    );
    expect(one('http://mylocalhost/cb', 'http://localhost/cb')[0]?.message).toBe(
      'Host: mylocalhost vs localhost.',
    );
    expect(one('http://localhost.evil/cb', 'http://localhost/cb')[0]?.message).toBe(
      'Host: localhost.evil vs localhost.',
    );
    expect(one('http://[::1]/cb', 'http://localhost/cb')[0]?.message).toMatch(/both mean/);
  });

  it('tells which side has the trailing slash, and any number of them', () => {
    expect(one('http://a.example/cb/', 'http://a.example/cb')[0]?.message).toBe(
      'Trailing slash: only the first ends the path with "/".',
    );
    expect(one('http://a.example/cb//', 'http://a.example/cb')[0]?.part).toBe('trailing_slash');
    expect(one('http://a.example/cb', 'http://a.example/cb/')[0]).toMatchObject({
      a: '/cb',
      b: '/cb/',
    });
    // Same path, other differences: no path row at all.
    expect(one('http://a.example/cb', 'http://a.example/cb?x').map((d) => d.part)).toEqual([
      'query',
    ]);
  });

  it('points at the first differing character, twelve characters of each side', () => {
    const d = one('http://A.example/callback-long-path', 'http://a.example/callback-long-path');
    expect(d).toEqual([
      {
        part: 'text',
        a: 'http://A.example/callback-long-path',
        b: 'http://a.example/callback-long-path',
        message:
          'They point to the same place but are written differently from character 8 ("A.example/ca" vs "a.example/ca"); PandaDoc compares the exact text.',
      },
    ]);
    // A difference at the very end: the index stops at the shorter string.
    const end = one('http://a.example', 'http://a.example/');
    expect(end[0]?.message).toMatch(/from character 17 \("" vs "\/"\)/);
  });
});
