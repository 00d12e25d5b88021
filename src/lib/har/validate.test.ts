import { describe, expect, it } from 'vitest';
import { checkHar } from './validate.ts';
import { harFixtures } from './testSecrets.ts';

const minimal = () => ({
  log: {
    version: '1.2',
    creator: { name: 't', version: '1' },
    entries: [
      {
        startedDateTime: '2026-11-28T12:00:00.000Z',
        time: 1,
        request: {
          method: 'GET',
          url: 'https://x/',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [],
          queryString: [],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: 200,
          statusText: 'OK',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: 'text/plain' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
        },
        cache: {},
        timings: { send: 0, wait: 1, receive: 0 },
      },
    ],
  },
});

describe('checkHar', () => {
  it('passes every recorded fixture and a minimal HAR with no issue', () => {
    for (const { file, text } of harFixtures()) {
      const check = checkHar(JSON.parse(text));
      expect(check.ok, file).toBe(true);
      // mitmproxy's har_dump writes `pages: [{ pageTimings: {} }]`: a deviation, not fatal.
      const expected = file.includes('mitmproxy')
        ? ['log.pages[0].startedDateTime', 'log.pages[0].id', 'log.pages[0].title']
        : [];
      expect(
        check.issues.map((i) => i.path),
        file,
      ).toEqual(expected);
    }
    expect(checkHar(minimal())).toMatchObject({ ok: true, issues: [] });
  });

  it('says "not a HAR" for JSON of another shape, naming what is missing', () => {
    expect(checkHar([1, 2])).toEqual({
      ok: false,
      issues: [
        {
          path: '',
          message: 'the file is a JSON array, not a HAR object with "log"',
          fatal: true,
          chrome: true,
        },
      ],
    });
    expect(checkHar({ error: 'invalid_grant' })).toMatchObject({
      ok: false,
      issues: [{ path: '.log', fatal: true }],
    });
    expect(checkHar({ log: { entries: {} } })).toMatchObject({ ok: false });
    const noResponse = minimal() as { log: { entries: Record<string, unknown>[] } };
    delete noResponse.log.entries[0].response;
    const check = checkHar(noResponse);
    expect(check.ok).toBe(false);
    expect(check.issues).toContainEqual({
      path: 'log.entries[0].response',
      message: 'missing (HAR 1.2 requires an object)',
      fatal: true,
      chrome: true,
    });
  });

  it('reads a HAR with deviations (a size as a string, a page without id) but lists them', () => {
    const har = minimal() as unknown as {
      log: { pages: unknown[]; entries: { response: { bodySize: unknown } }[] };
    };
    har.log.entries[0].response.bodySize = '12';
    har.log.pages = [{ pageTimings: {} }];
    const check = checkHar(har);
    expect(check.ok).toBe(true);
    expect(check.issues.map((i) => [i.path, i.chrome])).toEqual([
      ['log.pages[0].startedDateTime', true],
      ['log.pages[0].id', false],
      ['log.pages[0].title', false],
      ['log.entries[0].response.bodySize', true],
    ]);
  });

  it('flags what Chrome refuses: a date that is not a date, timings without send', () => {
    const har = minimal() as unknown as {
      log: { entries: { startedDateTime: string; timings: Record<string, number> }[] };
    };
    har.log.entries[0].startedDateTime = 'yesterday';
    delete har.log.entries[0].timings.send;
    const check = checkHar(har);
    expect(check.ok).toBe(true);
    expect(check.issues).toEqual([
      {
        path: 'log.entries[0].startedDateTime',
        message: 'not a date (HAR 1.2 requires ISO 8601)',
        fatal: false,
        chrome: true,
      },
      {
        path: 'log.entries[0].timings.send',
        message: 'missing (HAR 1.2 requires a number)',
        fatal: false,
        chrome: true,
      },
    ]);
  });
});
