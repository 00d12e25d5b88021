import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import { SimSession } from '../triage/fixtures.ts';
import { classifyCall, refusalOf, type Verdict } from './classify.ts';

const TOKEN = '2ff2dfe36322448c6953616740a910be57bbd4ca';
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

function answer(
  status: number,
  body: string,
  opts: { headers?: Array<[string, string]>; truncated?: boolean } = {},
): UpstreamExchange {
  return {
    startedAt: 0,
    durationMs: 5,
    request: { method: 'POST', url: 'http://x/oauth2/access_token', headers: [], body: '' },
    response: {
      status,
      statusText: '',
      headers: opts.headers ?? [JSON_TYPE],
      body,
      truncated: opts.truncated ?? false,
    },
    failure: null,
  };
}

const pick = (v: Verdict) => [v.outcome, v.errorCode, v.grant];

describe('classifyCall on token answers', () => {
  it.each([
    [
      'a clean pair',
      200,
      `{"access_token":"${TOKEN}","refresh_token":"${TOKEN}"}`,
      ['ok', null, 'spent'],
    ],
    [
      'unknown fields beside the pair',
      200,
      `{"access_token":"${TOKEN}","weird":[1],"ü":"☃"}`,
      ['ok', null, 'spent'],
    ],
    ['2xx that is not 200', 201, `{"access_token":"${TOKEN}"}`, ['ok', null, 'spent']],
    ['an empty access_token', 200, '{"access_token":""}', ['error', 'malformed', 'unknown']],
    [
      'both a token and an error',
      200,
      `{"access_token":"${TOKEN}","error":"invalid_grant"}`,
      ['error', 'invalid_grant', 'unknown'],
    ],
    [
      'an error in a 200',
      200,
      '{"error":"invalid_client"}',
      ['error', 'invalid_client', 'unknown'],
    ],
    ['an empty body', 200, '', ['error', 'not_json', 'unknown']],
    ['a JSON array', 200, '[]', ['error', 'malformed', 'unknown']],
    ['invalid_grant', 400, '{"error":"invalid_grant"}', ['error', 'invalid_grant', 'rejected']],
    [
      'invalid_client (checked before the code)',
      400,
      '{"error":"invalid_client"}',
      ['error', 'invalid_client', 'untouched'],
    ],
    [
      'invalid_request',
      400,
      '{"error":"invalid_request"}',
      ['error', 'invalid_request', 'untouched'],
    ],
    [
      'invalid_scope (after the code was read)',
      400,
      '{"error":"invalid_scope"}',
      ['error', 'invalid_scope', 'unknown'],
    ],
    [
      'a 5xx carrying an OAuth error',
      503,
      '{"error":"invalid_client"}',
      ['error', 'invalid_client', 'unknown'],
    ],
    ['a 500 with no error field', 500, '{}', ['error', 'http_500', 'unknown']],
    ['a 502 with an empty body', 502, '', ['error', 'http_502', 'unknown']],
  ] as const)('%s', (_name, status, body, expected) => {
    expect(pick(classifyCall('exchange', answer(status, body)))).toEqual(expected);
    expect(pick(classifyCall('refresh', answer(status, body)))).toEqual(expected);
  });

  it('calls an HTML page html, whatever the status', () => {
    const page = '<!doctype html><title>Sign in to Wi-Fi</title>';
    for (const status of [200, 400, 502]) {
      const v = classifyCall(
        'exchange',
        answer(status, page, { headers: [['content-type', 'text/html']] }),
      );
      expect(pick(v)).toEqual(['error', 'html', 'unknown']);
      expect(v.detail).toMatch(/HTML page/);
    }
  });

  it('names a body cut at the size cap truncated, not "not JSON"', () => {
    const cut = `{"access_token":"${TOKEN}","pad":"${'x'.repeat(50)}`;
    expect(pick(classifyCall('exchange', answer(200, cut, { truncated: true })))).toEqual([
      'error',
      'truncated',
      'unknown',
    ]);
  });

  it('proves nothing about the code when no answer came (timeout, unreachable)', () => {
    const base = answer(200, '');
    for (const kind of ['timeout', 'unreachable'] as const) {
      const v = classifyCall('exchange', {
        ...base,
        response: null,
        failure: { kind, message: 'm' },
      });
      expect(pick(v)).toEqual(['error', kind, 'unknown']);
      expect(v.summary).toBe(`no answer (${kind})`);
    }
  });

  it('does not trust a complete-looking body when the connection dropped mid-answer', () => {
    const v = classifyCall('exchange', {
      ...answer(200, `{"access_token":"${TOKEN}"}`),
      failure: { kind: 'unreachable', message: 'socket closed' },
    });
    expect(pick(v)).toEqual(['error', 'unreachable', 'unknown']);
    expect(v.summary).toMatch(/cut off/);
  });

  it('agrees with the real simulator: success, wrong secret, reused code', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const wrong = await s.exchange(code.value, { client_secret: 'nope' });
    expect(pick(classifyCall('exchange', wrong))).toEqual(['error', 'invalid_client', 'untouched']);
    const first = await s.exchange(code.value);
    expect(pick(classifyCall('exchange', first))).toEqual(['ok', null, 'spent']);
    const again = await s.exchange(code.value);
    expect(pick(classifyCall('exchange', again))).toEqual(['error', 'invalid_grant', 'rejected']);
  });
});

describe('classifyCall on member answers', () => {
  const member = '{"user_id":"FA5QAu8UGA3oVDDZuPL75B","email":"a@b.c"}';
  it.each([
    ['the member', 200, member, ['ok', null, null]],
    ['unknown fields', 200, '{"user_id":"u","ünïcode":"✓","extra":{}}', ['ok', null, null]],
    ['no user_id nor email', 200, '{"name":"x"}', ['error', 'malformed', null]],
    ['an empty body', 200, '', ['error', 'not_json', null]],
    [
      '401 authentication_error',
      401,
      '{"type":"authentication_error","detail":"x"}',
      ['error', 'authentication_error', null],
    ],
    ['429 throttled', 429, '{"type":"throttled"}', ['error', 'throttled', null]],
    ['a 500 that is not JSON', 500, 'oops', ['error', 'http_500', null]],
  ] as const)('%s', (_name, status, body, expected) => {
    expect(pick(classifyCall('verify', answer(status, body)))).toEqual(expected);
    expect(pick(classifyCall('check', answer(status, body)))).toEqual(expected);
  });

  it('reads the real simulator: a dead token is authentication_error', async () => {
    const s = new SimSession();
    const v = classifyCall('verify', await s.verify('d'.repeat(40)));
    expect(pick(v)).toEqual(['error', 'authentication_error', null]);
  });
});

describe('a call the debugger answered itself (a captured refusal)', () => {
  const refused = (reason: unknown = 'TRACE is not passed on.') =>
    ({
      ...answer(405, '{"error":"invalid_request"}'),
      refused: { kind: 'method', reason },
    }) as UpstreamExchange;

  it('is an error of its own, the credential untouched, whatever the answer says', () => {
    expect(classifyCall('exchange', refused())).toEqual({
      outcome: 'error',
      errorCode: 'debugger_refused',
      grant: 'untouched',
      summary: '405: refused by the debugger, not sent on',
      detail: 'TRACE is not passed on.',
    });
    expect(classifyCall('refresh', refused()).grant).toBe('untouched');
    expect(classifyCall('verify', refused()).grant).toBeNull();
    // Even a token pair in the body: the debugger's answer proves nothing about PandaDoc.
    const pair = {
      ...refused(),
      response: answer(200, `{"access_token":"${TOKEN}","refresh_token":"${TOKEN}"}`).response,
    };
    expect(classifyCall('exchange', pair).errorCode).toBe('debugger_refused');
  });

  it('a malformed mark is no refusal', () => {
    expect(refusalOf(refused(42))).toBeNull();
    expect(refusalOf({ ...answer(405, ''), refused: 'yes' } as UpstreamExchange)).toBeNull();
    expect(classifyCall('exchange', refused(42)).errorCode).toBe('invalid_request');
    expect(refusalOf(refused())).toEqual({ kind: 'method', reason: 'TRACE is not passed on.' });
  });
});
