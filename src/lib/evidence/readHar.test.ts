import { describe, expect, it } from 'vitest';
import { formatBytes, HarReader, readHarText, tooLarge } from './readHar.ts';
import { authorizeUrl, browserGet, harEntry, harOf, noise } from './testHar.ts';

const T = Date.UTC(2025, 0, 6, 10, 0, 0);
const error = (text: string) => {
  const r = readHarText(text);
  return r.ok ? null : r.error;
};

describe('readHarText', () => {
  it('keeps only the entries that may be part of the story, and counts all', () => {
    const har = harOf([...noise(T, 5), harEntry(browserGet(authorizeUrl({}), T + 10))], {
      name: 'Firefox',
      version: '128.0',
    });
    const r = readHarText(JSON.stringify(har, null, 2), 100);
    expect(r.ok && r.evidence.detail).toBe('HAR 1.2 from Firefox 128.0, 6 entries');
    expect(r.ok && r.evidence.entries.map((e) => e.entry)).toEqual([6]);
    expect(r.ok && r.evidence.total).toBe(6);
  });

  it('reads Firefox/mitmproxy quirks: params-only forms, base64 bodies, vendor fields', () => {
    const entry = {
      startedDateTime: new Date(T).toISOString(),
      time: 80,
      _mitmproxy: { x: 1 },
      request: {
        method: 'POST',
        url: 'https://api.pandadoc.com/oauth2/access_token',
        headers: [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }],
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          params: [{ name: 'grant_type', value: 'refresh_token' }],
        },
      },
      response: {
        status: 400,
        statusText: 'Bad Request',
        headers: [],
        content: {
          mimeType: 'application/json',
          encoding: 'base64',
          text: btoa('{"error":"invalid_grant"}'),
        },
      },
    };
    const r = readHarText(JSON.stringify({ log: { entries: [entry] } }));
    if (!r.ok) throw new Error(r.error.message);
    const ex = r.evidence.entries[0]?.exchange;
    expect(ex?.request.body).toBe('grant_type=refresh_token');
    expect(ex?.response?.body).toBe('{"error":"invalid_grant"}');
    expect(r.evidence.detail).toBe('HAR, 1 entry');
  });

  it('a Chrome entry with status 0 is a call with no answer, with its _error', () => {
    const e = harEntry(browserGet('https://api.pandadoc.com/oauth2/access_token', T, 0), {
      _error: 'net::ERR_CONNECTION_RESET',
    });
    const r = readHarText(JSON.stringify(harOf([e])));
    expect(r.ok && r.evidence.entries[0]?.exchange.failure).toEqual({
      kind: 'unreachable',
      message: 'net::ERR_CONNECTION_RESET',
    });
  });

  it('a cut-off file: the entries before the cut are read, and the cut is said', () => {
    const text = JSON.stringify(harOf([harEntry(browserGet(authorizeUrl({}), T)), ...noise(T, 3)]));
    const r = readHarText(text.slice(0, text.length - 300));
    expect(r.ok && r.evidence.notes[0]).toMatch(
      /^The file is cut off: it ends in the middle of entry 4\. The 3 entries before/,
    );
    expect(r.ok && r.evidence.entries).toHaveLength(1);
  });

  it('bad input gets a clear, specific message', () => {
    expect(error('')?.code).toBe('empty');
    expect(error('hello')).toEqual({
      code: 'not_json',
      message:
        'This is not a HAR file: a HAR is JSON and starts with "{", but this starts "hello".',
    });
    expect(error('{"foo": 1, "bar": [1]}')?.message).toBe(
      'This is JSON, but not a HAR: a HAR has a "log" object with "entries"; this has top-level keys "foo", "bar".',
    );
    expect(error('[1,2]')?.message).toContain('an array at the top');
    expect(error('{"log": {"version": "1.2"}}')?.message).toContain(
      'its "log" has no "entries" array',
    );
    expect(error('{"log": {"entr')?.code).toBe('not_json');
    expect(
      error(`{"log": {"version": "1.2", "entries": [{"request": {"url": "${'x'.repeat(5000)}`)
        ?.message,
    ).toBe(
      'The file is cut off in its first entry, so nothing in it can be read. Ask for the file again.',
    );
    expect(error('PK\u0003\u0004\u0014\u0000')?.message).toContain('a ZIP archive');
    expect(error('\u001f\ufffd\u0008\u0000')?.message).toContain('gzip');
    expect(error('{"log":\u0000\u0001\u0002')?.code).toBe('binary');
  });

  it('refuses a file by its size before reading it', () => {
    expect(tooLarge(100 * 2 ** 20)).toBeNull();
    expect(tooLarge(2 ** 30)?.message).toMatch(
      /^This file is 1\.0 GB; the limit is 300\.0 MB, and it was not read\./,
    );
    expect(formatBytes(1536)).toBe('1.5 KB');
  });

  it('stops taking text once it is known not to be a HAR', () => {
    const reader = new HarReader();
    expect(reader.push('nope')).toBe(false);
    expect(reader.finish().ok).toBe(false);
  });
});
