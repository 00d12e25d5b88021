import { describe, expect, it } from 'vitest';
import type { TokenCallResult } from './api/wire.ts';
import { flowMessages } from './flowStatus.ts';
import { emptySession } from './storage/index.ts';

const call = (status: number) =>
  ({
    startedAt: 1,
    durationMs: 1,
    request: { method: 'POST', url: '', headers: [], body: null },
    response: { status, statusText: '', headers: [], body: '', truncated: false },
    failure: null,
    secretSource: 'server',
  }) as TokenCallResult;

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
    s.verify = call(401);
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
});
