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
