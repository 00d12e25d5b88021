import { describe, expect, it } from 'vitest';
import type { CapturedCall } from '../api/traffic.ts';
import type { RecordedRequest, UpstreamExchange } from '../api/wire.ts';
import { answerClosed, bearerOf, captureKind, decodeRequestBody, whatLabel } from './describe.ts';
import { announce, matches, NO_FILTER } from './filter.ts';
import { OUT_OF_STEP, parseCallEvent, parseCallRun, parseCleared, parseHello } from './parse.ts';

const req = (over: Partial<RecordedRequest>): RecordedRequest => ({
  method: 'POST',
  url: 'http://127.0.0.1:5173/sim/oauth2/access_token',
  headers: [],
  body: null,
  ...over,
});
const call = (r: RecordedRequest): UpstreamExchange => ({
  startedAt: 0,
  durationMs: 1,
  request: r,
  response: null,
  failure: null,
});

describe('decodeRequestBody', () => {
  it('reads a form field by field and marks the secrets', () => {
    const body = decodeRequestBody(
      req({
        headers: [['content-type', 'application/x-www-form-urlencoded']],
        body: 'grant_type=authorization_code&code=abc&client_secret=s&scope=read+write',
      }),
    );
    expect(body.format).toBe('form');
    expect(body.fields).toEqual([
      { name: 'grant_type', value: 'authorization_code', secret: false },
      { name: 'code', value: 'abc', secret: true },
      { name: 'client_secret', value: 's', secret: true },
      { name: 'scope', value: 'read write', secret: false },
    ]);
  });

  it('reads JSON (what a broken client sends) and a form sent without a Content-Type', () => {
    const json = decodeRequestBody(
      req({ body: '{"grant_type":"refresh_token","refresh_token":"r"}' }),
    );
    expect(json.format).toBe('json');
    expect(json.fields[1]).toEqual({ name: 'refresh_token', value: 'r', secret: true });
    expect(decodeRequestBody(req({ body: 'grant_type=x' })).format).toBe('form');
    expect(
      decodeRequestBody(req({ body: '%PDF-1.7 …', headers: [['Content-Type', 'application/pdf']] }))
        .format,
    ).toBe('text');
    expect(decodeRequestBody(req({})).format).toBe('none');
  });
});

describe('captureKind', () => {
  it('tells exchange, refresh, member call, other API call and the consent screen apart', () => {
    expect(captureKind(call(req({ body: 'grant_type=authorization_code' })))).toBe('exchange');
    expect(captureKind(call(req({ body: 'grant_type=refresh_token' })))).toBe('refresh');
    expect(captureKind(call(req({ body: '{"grant_type":"refresh_token"}' })))).toBe('refresh');
    expect(
      captureKind(
        call(
          req({ url: 'https://api.pandadoc.com/oauth2/access_token/?grant_type=refresh_token' }),
        ),
      ),
    ).toBe('refresh');
    expect(
      captureKind(
        call(req({ method: 'GET', url: 'https://api.pandadoc.eu/public/v1/members/current' })),
      ),
    ).toBe('verify');
    expect(
      captureKind(
        call(req({ method: 'GET', url: 'https://api.pandadoc.com/public/v1/documents' })),
      ),
    ).toBe('api');
    expect(
      captureKind(
        call(req({ method: 'GET', url: 'http://127.0.0.1:5173/sim/oauth2/authorize?x=1' })),
      ),
    ).toBe('authorize');
  });

  it('names a TLS handshake as one, not as the API call its unread bytes would guess', () => {
    const handshake = call(req({ method: '', url: 'https://127.0.0.1:5173/' }));
    const refused = { kind: 'https', reason: 'TLS' } as const;
    expect(whatLabel({ refused }, captureKind(handshake))).toBe(
      'TLS handshake (an https:// call, not read)',
    );
    expect(whatLabel({}, captureKind(handshake))).toBe('API call');
    const member = call(req({ method: 'GET', url: 'http://x/public/v1/members/current' }));
    const unreadable = { kind: 'unreadable', reason: 'a newline' } as const;
    expect(whatLabel({ refused: unreadable }, captureKind(member))).toBe('members/current');
  });

  it('reads from the recorded answer whether it closed the connection', () => {
    const answer = (headers: [string, string][]) => ({
      response: { status: 400, statusText: 'Bad Request', headers, body: '', truncated: false },
    });
    expect(answerClosed(answer([['Connection', 'close']]))).toBe(true);
    expect(answerClosed(answer([['connection', 'Keep-Alive, Close']]))).toBe(true);
    expect(answerClosed(answer([['connection', 'keep-alive']]))).toBe(false);
    expect(answerClosed(answer([['x-note', 'close']]))).toBe(false);
    expect(answerClosed({ response: null })).toBe(false);
  });

  it('reads the Bearer token as sent, quotes and all', () => {
    expect(bearerOf(call(req({ headers: [['Authorization', 'Bearer "abc"']] })))).toBe('"abc"');
    expect(bearerOf(call(req({ headers: [['Authorization', 'API-Key abc']] })))).toBeNull();
  });
});

describe('filters and the live region', () => {
  const row = { status: 400, ok: false, path: '/oauth2/access_token', client: 'curl' as const };
  it('matches by status, path and client', () => {
    expect(matches(row, NO_FILTER)).toBe(true);
    expect(matches(row, { ...NO_FILTER, status: 'failed' })).toBe(true);
    expect(matches(row, { ...NO_FILTER, status: '4xx' })).toBe(true);
    expect(matches(row, { ...NO_FILTER, status: '2xx' })).toBe(false);
    expect(matches({ ...row, status: null }, { ...NO_FILTER, status: 'none' })).toBe(true);
    expect(matches(row, { ...NO_FILTER, path: 'OAUTH2' })).toBe(true);
    expect(matches(row, { ...NO_FILTER, path: 'members' })).toBe(false);
    expect(matches(row, { ...NO_FILTER, client: 'python' })).toBe(false);
  });

  it('says a burst in one sentence', () => {
    expect(announce(0, 0)).toBe('');
    expect(announce(1, 0)).toBe('1 new call');
    expect(announce(3, 1)).toBe('3 new calls, 1 failed');
  });
});

describe('parse', () => {
  it('accepts a captured call and refuses anything else', () => {
    const good: CapturedCall = {
      seq: 1,
      startedAt: 1,
      durationMs: 1,
      upstream: 'us',
      localPath: '/us/oauth2/access_token',
      userAgent: 'curl/8',
      requestBodyTruncated: false,
      request: {
        method: 'POST',
        url: 'https://api.pandadoc.com/oauth2/access_token',
        headers: [],
        body: 'a=b',
      },
      response: {
        status: 200,
        statusText: 'OK',
        headers: [['a', 'b']],
        body: '{}',
        truncated: false,
      },
      failure: null,
    };
    expect(parseCallEvent(JSON.stringify(good))).toEqual(good);
    expect(parseCallEvent('{"seq":"1"}')).toBeNull();
    expect(parseCallEvent('not json')).toBeNull();
    expect(
      parseCallEvent(JSON.stringify({ ...good, request: { ...good.request, headers: [[1, 2]] } })),
    ).toBeNull();
    // A repeat takes the request and response of the call read just before, and nothing else.
    const { request: _q, response: _r, ...rest } = good;
    const repeat = JSON.stringify({ ...rest, seq: 2, durationMs: 8, sameExchangeAs: 1 });
    expect(parseCallEvent(repeat, good)).toEqual({ ...good, seq: 2, durationMs: 8 });
    // Of any other call, or with none read: out of step, never a call half made up.
    expect(parseCallEvent(repeat, { ...good, seq: 7 })).toBe(OUT_OF_STEP);
    expect(parseCallEvent(repeat)).toBe(OUT_OF_STEP);
    expect(parseCallEvent(JSON.stringify({ seq: 2, sameExchangeAs: 1 }), good)).toBeNull();
    // A run of calls alike in all but their seq and times: those, the rest from the call before.
    // Their steps: ms after the call before (negative: started before it), durations in tenths.
    const run = JSON.stringify({ from: 2, steps: [100, 80, -5, 3] });
    expect(parseCallRun(run, good)).toEqual([
      { ...good, seq: 2, startedAt: good.startedAt + 100, durationMs: 8 },
      { ...good, seq: 3, startedAt: good.startedAt + 95, durationMs: 0.3 },
    ]);
    expect(parseCallRun(run, { ...good, seq: 7 })).toBe(OUT_OF_STEP);
    expect(parseCallRun(run, null)).toBe(OUT_OF_STEP);
    for (const bad of [
      '{"from":2,"steps":[100]}',
      '{"from":2,"steps":[]}',
      '{"from":2,"steps":[100,"8"]}',
      '{"from":2,"steps":[1.5,8]}',
      '{"steps":[100,8]}',
      // The whole times of an older server: not read as steps.
      '{"from":2,"times":[1800000000000,8]}',
      '{"from":2}',
      'not json',
    ]) {
      expect(parseCallRun(bad, good)).toBeNull();
    }
    expect(parseHello('{"lastSeq":3,"capacity":{"enabled":true,"maxCalls":1000}}')?.lastSeq).toBe(
      3,
    );
    expect(parseHello('{"lastSeq":3}')).toBeNull();
    expect(parseCleared('{"lastSeq":12}')).toEqual({ lastSeq: 12 });
    expect(parseCleared('{"lastSeq":0}')).toEqual({ lastSeq: 0 });
    for (const bad of ['', '{}', '{"lastSeq":-1}', '{"lastSeq":1.5}', '{"lastSeq":"3"}', '[3]']) {
      expect(parseCleared(bad)).toBeNull();
    }
  });
});
