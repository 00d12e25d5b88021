import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import {
  asReceived,
  attemptOf,
  clock,
  describeAttempt,
  readFacts,
  span,
  succeeded,
  type CallFacts,
} from './facts.ts';
import type { HistoryLike } from './history.ts';
import type { TriageInput } from './types.ts';

const T = Date.UTC(2025, 0, 6, 10, 31, 5);

function facts(
  call: Partial<UpstreamExchange> & { responseHeaders?: Array<[string, string]>; body?: string },
  opts: { kind?: TriageInput['kind']; history?: HistoryLike[] } = {},
): CallFacts {
  const { responseHeaders, body, ...rest } = call;
  return readFacts({
    kind: opts.kind ?? 'exchange',
    now: T,
    call: {
      startedAt: T,
      durationMs: 0,
      request: {
        method: 'POST',
        url: 'https://api.pandadoc.com/oauth2/access_token',
        headers: [],
        body: null,
      },
      response: {
        status: 400,
        statusText: '',
        headers: responseHeaders ?? [['Content-Type', 'application/json']],
        body: body ?? '{"error":"invalid_grant","error_description":"Bad."}',
        truncated: false,
      },
      failure: null,
      ...rest,
    },
    context: {
      history: opts.history ?? [],
      profile: { clientId: 'c', redirectUri: 'r', environment: 'us' },
    },
  });
}
const form = (contentType: string, body: string | null = 'a=1&b=2') =>
  facts({ request: { method: 'POST', url: 'u', headers: [['CONTENT-TYPE', contentType]], body } })
    .form;

describe('span: durations in words', () => {
  it.each([
    [-5_000, '0 s'],
    [0, '0 s'],
    [59_499, '59 s'],
    [59_500, '1 min'],
    [60_000, '1 min'],
    [61_000, '1 min 1 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h'],
    [3_659_000, '1 h'],
    [3_660_000, '1 h 1 min'],
    [7_500_000, '2 h 5 min'],
    [86_399_000, '23 h 59 min'],
    [86_400_000, '1 day'],
    [2 * 86_400_000 + 3_600_000, '2 days'],
  ])('%d ms reads "%s"', (ms, words) => {
    expect(span(ms)).toBe(words);
  });
});

describe('clock, attempts and labels', () => {
  it('clock is the local wall-clock time, HH:MM:SS', () => {
    const d = new Date(T);
    const two = (n: number) => String(n).padStart(2, '0');
    expect(clock(T)).toBe(`${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
  });
  it('numbers attempts per kind, counting entries at the same moment', () => {
    const at = (ms: number, kind: HistoryLike['kind']): HistoryLike => ({
      at: ms,
      kind,
      outcome: 'ok',
      status: 200,
      errorCode: null,
      fingerprints: {},
    });
    const history = [
      at(1, 'exchange'),
      at(2, 'refresh'),
      at(3, 'exchange'),
      at(3, 'exchange'),
      at(4, 'exchange'),
    ];
    expect(attemptOf(history, history[2]!)).toBe(3);
    expect(attemptOf(history, history[1]!)).toBe(1);
    const label = (kind: HistoryLike['kind']) => describeAttempt([at(T, kind)], at(T, kind));
    expect(label('exchange')).toBe(`the exchange at ${clock(T)} (attempt 1)`);
    expect(label('refresh')).toBe(`the refresh at ${clock(T)} (attempt 1)`);
    expect(label('verify')).toBe(`the member call at ${clock(T)} (attempt 1)`);
    expect(label('check')).toBe(`the check at ${clock(T)} (attempt 1)`);
    expect(label('authorize')).toBe(`the authorize request at ${clock(T)} (attempt 1)`);
    expect(label('callback')).toBe(`the callback at ${clock(T)} (attempt 1)`);
  });
});

describe('readFacts', () => {
  it('reads the form whatever the content type case and parameters', () => {
    expect(form('Application/X-WWW-Form-Urlencoded; charset=UTF-8')?.get('b')).toBe('2');
    expect(form(' application/x-www-form-urlencoded ')?.get('a')).toBe('1');
    expect(form('application/json')).toBeNull();
    expect(form('text/plain; x=application/x-www-form-urlencoded')).toBeNull();
    expect(form('application/x-www-form-urlencoded', '')).toBeNull();
    expect(
      facts({ request: { method: 'POST', url: 'u', headers: [], body: 'a=1' } }).form,
    ).toBeNull();
  });

  it('reads headers case-insensitively, and the OAuth and API fields when they are strings', () => {
    const f = facts({
      request: { method: 'GET', url: 'u', headers: [['Authorization', 'Bearer x']], body: null },
      responseHeaders: [['Retry-After', '5']],
      body: '{"error":"e","error_description":7,"type":"t","detail":"d"}',
    });
    expect([f.header('retry-after'), f.header('RETRY-AFTER'), f.header('date')]).toEqual([
      '5',
      '5',
      null,
    ]);
    expect(f.requestHeader('AUTHORIZATION')).toBe('Bearer x');
    expect([f.error, f.description, f.type, f.detail]).toEqual(['e', null, 't', 'd']);
    expect([f.status, f.isJson, f.isHtml]).toEqual([400, true, false]);
  });

  it('tells JSON objects from other JSON, text and emptiness', () => {
    const read = (body: string) => {
      const f = facts({ body });
      return { json: f.json, isJson: f.isJson, body: f.body };
    };
    expect(read('[1]')).toEqual({ json: null, isJson: true, body: '[1]' });
    expect(read(' \n ')).toEqual({ json: null, isJson: false, body: ' \n ' });
    expect(read('{"a":1}')).toEqual({ json: { a: 1 }, isJson: true, body: '{"a":1}' });
    expect(read('nope')).toEqual({ json: null, isJson: false, body: 'nope' });
  });

  it('no answer: no status, no body, not HTML', () => {
    const f = facts({ response: null, failure: { kind: 'unreachable', message: 'x' } });
    expect([f.status, f.body, f.isHtml, f.json, f.error]).toEqual([null, '', false, null, null]);
    expect(f.header('content-type')).toBeNull();
    expect(f.verdict.outcome).toBe('error');
  });

  it('takes the stored verdict when there is one, else classifies', () => {
    const verdict = {
      outcome: 'ok',
      errorCode: null,
      grant: 'spent',
      summary: 's',
      detail: null,
    } as const;
    expect(facts({ verdict } as Partial<UpstreamExchange>).verdict).toBe(verdict);
    expect(facts({}).verdict.errorCode).toBe('invalid_grant');
  });

  it('keeps only history entries from before the call', () => {
    const e = (at: number): HistoryLike => ({
      at,
      kind: 'exchange',
      outcome: 'ok',
      status: 200,
      errorCode: null,
      fingerprints: {},
    });
    expect(facts({}, { history: [e(T - 1), e(T), e(T + 1)] }).earlier).toEqual([e(T - 1)]);
  });

  it('measures the upstream clock from the middle of the call; a minute or less is no skew', () => {
    const skew = (date: string, durationMs = 0) => {
      const f = facts({ durationMs, responseHeaders: [['Date', date]] });
      return [f.clockSkewMs, f.upstreamNow - T];
    };
    const at = (ms: number) => new Date(ms).toUTCString();
    expect(skew(at(T + 60_000))).toEqual([0, 0]);
    expect(skew(at(T - 60_000))).toEqual([0, 0]);
    expect(skew(at(T + 61_000))).toEqual([61_000, 61_000]);
    expect(skew(at(T - 61_000))).toEqual([-61_000, -61_000]);
    expect(skew(at(T + 161_000), 200_000)).toEqual([61_000, 61_000]);
    expect(skew('not a date')).toEqual([0, 0]);
  });
});

describe('asReceived and succeeded', () => {
  it('shows the body on one line, shortened, or says it is empty', () => {
    expect(asReceived(facts({ body: '  \n' }))).toBe('(empty body)');
    expect(asReceived(facts({ body: 'a\n  b' }))).toBe('a b');
    expect(asReceived(facts({ body: 'x'.repeat(400) }))).toBe(`${'x'.repeat(299)}…`);
  });
  it('reads the verdict', () => {
    expect(succeeded(facts({}))).toBe(false);
    expect(
      succeeded(
        facts({
          body: '{"access_token":"a","token_type":"Bearer"}',
          response: {
            status: 200,
            statusText: '',
            headers: [['Content-Type', 'application/json']],
            body: '{"access_token":"a","token_type":"Bearer"}',
            truncated: false,
          },
        }),
      ),
    ).toBe(true);
  });
});
