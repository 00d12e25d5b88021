import { describe, expect, it } from 'vitest';
import { HarScanner } from './harScan.ts';

function scan(text: string, size = 7) {
  const got: string[] = [];
  const s = new HarScanner((t) => got.push(t));
  for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
  return { got, summary: s.end() };
}

const har = {
  log: {
    version: '1.2',
    creator: { name: 'Firefox', version: '128.0' },
    pages: [{ id: 'p' }],
    entries: [
      { request: { url: 'https://x/{[', headers: [{ name: 'a"b', value: 'q\\"}]\\\\' }] } },
      { request: { url: 'https://y/' }, _odd: [1, { a: '}' }] },
    ],
  },
};

describe('HarScanner', () => {
  it('hands over each entry as its own JSON, whatever the chunk size', () => {
    const text = JSON.stringify(har, null, 1);
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const { got, summary } = scan(text, size);
      expect(got.map((t) => JSON.parse(t) as unknown)).toEqual(har.log.entries);
      expect(summary.entries).toBe(2);
      expect(summary.truncated).toBe(false);
      expect(summary.rootKeys).toEqual(['log']);
      expect(summary.logKeys).toEqual(['version', 'creator', 'pages', 'entries']);
      expect(JSON.parse(summary.meta.creator ?? '')).toEqual(har.log.creator);
      expect(summary.meta.version).toBe('"1.2"');
    }
  });

  it('handles backslash runs split across chunks', () => {
    const entries = [{ v: 'a\\\\\\"b\\\\' }, { v: '\\' }];
    const text = JSON.stringify({ log: { entries } });
    for (let size = 1; size < 12; size++) {
      expect(scan(text, size).got.map((t) => JSON.parse(t) as unknown)).toEqual(entries);
    }
  });

  it('notices a text cut off inside an entry', () => {
    const text = JSON.stringify(har).slice(0, -40);
    const { got, summary } = scan(text);
    expect(got).toHaveLength(1);
    expect(summary.truncated).toBe(true);
    expect(summary.truncatedInEntry).toBe(true);
  });

  it('stops at once on text that is not an object or array', () => {
    const s = new HarScanner(() => undefined);
    s.push('\ufeff  curl https://x');
    expect(s.rejected).toBe(true);
    expect(s.end().first).toBe('c');
  });
});
