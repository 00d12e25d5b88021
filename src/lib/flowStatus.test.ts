import { describe, expect, it } from 'vitest';
import type { TokenCallResult } from './api/wire.ts';
import { flowMessages } from './flowStatus.ts';
import { emptySession } from './storage/index.ts';
import { judge } from './verdict/judge.ts';

const BODY: Record<number, string> = {
  200: '{"access_token":"2ff2dfe36322448c6953616740a910be57bbd4ca","user_id":"u"}',
  400: '{"error":"invalid_grant"}',
  401: '{"type":"authentication_error"}',
};
const call = (status: number, body = BODY[status] ?? '') =>
  judge('exchange', {
    startedAt: 1,
    durationMs: 1,
    request: { method: 'POST', url: '', headers: [], body: null },
    response: { status, statusText: '', headers: [], body, truncated: false },
    failure: null,
    secretSource: 'server',
  } as TokenCallResult);

const tokens = {
  accessToken: 'a',
  refreshToken: 'r',
  tokenType: 'Bearer',
  expiresIn: 1,
  scope: null,
  receivedAt: 1,
  expiresAt: 2,
  extra: {},
};

const statuses = (m: ReturnType<typeof flowMessages>) => m.map((x) => `${x.id}:${x.status}`);

describe('flowMessages', () => {
  it('starts with the authorize request as the one current message', () => {
    const m = flowMessages(emptySession(), null);
    expect(m.filter((x) => x.status === 'current').map((x) => x.id)).toEqual(['authorize']);
    expect(m.every((x) => x.status === 'todo' || x.status === 'current')).toBe(true);
  });

  it('follows the session: code captured, then tokens, then a failed API call', () => {
    const s = emptySession();
    s.pending = {
      profileId: 'p',
      state: 's',
      codeVerifier: 'v',
      clientId: 'c',
      redirectUri: 'r',
      authorizeUrl: 'u',
      createdAt: 1,
    };
    expect(statuses(flowMessages(s, null)).slice(0, 2)).toEqual([
      'authorize:done',
      'redirect:current',
    ]);
    s.code = { value: 'c', state: 's', capturedAt: 1, source: 'callback', exchangedAt: null };
    s.exchange = call(200);
    s.tokens = tokens;
    s.verify = judge('verify', call(401));
    expect(statuses(flowMessages(s, null))).toEqual([
      'authorize:done',
      'redirect:done',
      'exchange:done',
      'tokens:done',
      'call:done',
      'member:failed',
      'refresh:current',
      'rotated:todo',
    ]);
  });

  it('marks the redirect failed on access_denied, and tokens failed on a refused exchange', () => {
    const s = emptySession();
    s.code = { value: 'c', state: null, capturedAt: 1, source: 'paste', exchangedAt: 1 };
    s.exchange = call(400);
    const m = flowMessages(s, { ok: false, code: 'access_denied', message: '', hint: '' });
    expect(statuses(m).slice(1, 4)).toEqual(['redirect:failed', 'exchange:done', 'tokens:failed']);
  });

  it('after Deny, claims no code: the redirect failed and nothing is next', () => {
    const s = emptySession();
    const denied = { ok: false, code: 'access_denied', message: '', hint: '' } as const;
    const m = flowMessages(s, denied);
    expect(statuses(m)).toEqual([
      'authorize:done',
      'redirect:failed',
      'exchange:todo',
      'tokens:todo',
      'call:todo',
      'member:todo',
      'refresh:todo',
      'rotated:todo',
    ]);
    expect(m[1]?.says).toMatch(/access_denied.*no code was issued/);
    expect(m.filter((x) => x.status === 'current')).toEqual([]);
  });

  it('reads the stored verdict: a 200 with an empty access_token is a failed answer', () => {
    const s = emptySession();
    s.code = { value: 'c', state: 's', capturedAt: 1, source: 'callback', exchangedAt: null };
    s.exchange = call(200, '{"access_token":""}');
    expect(statuses(flowMessages(s, null)).slice(2, 4)).toEqual(['exchange:done', 'tokens:failed']);
  });
});
