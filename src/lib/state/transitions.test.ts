import { describe, expect, it } from 'vitest';
import type { TokenCallResult } from '../api/wire.ts';
import type { CallbackResult, PendingAuthorization } from '../oauth/callback.ts';
import type { CapturedCode } from '../storage/index.ts';
import { judge } from '../verdict/judge.ts';
import { afterCallback, codeAfterExchange } from './transitions.ts';

const pending: PendingAuthorization = {
  profileId: 'p',
  state: 'st-1',
  codeVerifier: 'v',
  clientId: 'cid',
  redirectUri: 'http://r/cb',
  authorizeUrl: 'u',
  createdAt: 100,
};

describe('afterCallback', () => {
  it('Deny ends the authorization whose state it echoes, and only that one', () => {
    const denied = { ok: false, code: 'access_denied', message: 'm', hint: 'h' } as const;
    expect(afterCallback({ pending }, { ...denied, state: 'st-1' }, 'callback', 5).patch).toEqual({
      pending: null,
    });
    expect(
      afterCallback({ pending }, { ...denied, state: 'other' }, 'callback', 5).patch,
    ).toBeNull();
    expect(afterCallback({ pending }, denied, 'paste', 5)).toEqual({
      patch: null,
      event: { outcome: 'error', errorCode: 'access_denied', note: 'pasted: m' },
    });
  });

  it('a matched code carries its authorize request and spends the pending state', () => {
    const ok: CallbackResult = {
      ok: true,
      code: 'c',
      state: 'st-1',
      stateCheck: 'matched',
      warnings: [],
    };
    const { patch, event } = afterCallback({ pending }, ok, 'callback', 7);
    expect(patch).toEqual({
      pending: null,
      code: {
        value: 'c',
        state: 'st-1',
        capturedAt: 7,
        source: 'callback',
        exchangedAt: null,
        authorize: { at: 100, clientId: 'cid', redirectUri: 'http://r/cb' },
      },
    });
    expect(event.note).toBe('code captured (redirect to /callback, state matched)');
  });

  it('a bare pasted code leaves the pending authorization as it was', () => {
    const bare: CallbackResult = {
      ok: true,
      code: 'c',
      state: null,
      stateCheck: 'not_checked',
      warnings: [],
    };
    const { patch, event } = afterCallback({ pending }, bare, 'paste', 7);
    expect(patch?.pending).toBe(pending);
    expect(patch?.code?.authorize).toBeUndefined();
    expect(event.note).toBe('code captured (pasted, state not checked)');
  });
});

describe('codeAfterExchange', () => {
  const code: CapturedCode = {
    value: 'c',
    state: null,
    capturedAt: 1,
    source: 'paste',
    exchangedAt: null,
  };
  const answer = (status: number, body: string, startedAt = 50) =>
    judge<TokenCallResult>('exchange', {
      startedAt,
      durationMs: 1,
      request: { method: 'POST', url: 'x', headers: [], body: '' },
      response: { status, statusText: '', headers: [], body, truncated: false },
      failure: null,
      secretSource: 'server',
    });

  it.each([
    ['invalid_client (checked before the code)', 400, '{"error":"invalid_client"}'],
    ['a 5xx', 503, '{"error":"server_error"}'],
    ['an HTML page', 502, '<html>'],
    ['a 200 without a usable token', 200, '{"access_token":""}'],
  ])('%s: the code is not called used', (_n, status, body) => {
    expect(codeAfterExchange(code, answer(status, body))).toMatchObject({
      exchangedAt: null,
      refusedAt: null,
    });
  });

  it('a token pair spends it (first time kept); invalid_grant marks it refused', () => {
    const spent = codeAfterExchange(code, answer(200, '{"access_token":"abcdefghijklmnop"}', 60));
    expect(spent?.exchangedAt).toBe(60);
    const again = codeAfterExchange(spent, answer(400, '{"error":"invalid_grant"}', 70));
    expect(again).toMatchObject({ exchangedAt: 60, refusedAt: 70 });
    expect(codeAfterExchange(null, answer(400, '{"error":"invalid_grant"}'))).toBeNull();
  });

  it('no answer at all proves nothing', () => {
    const lost = {
      ...answer(200, ''),
      response: null,
      failure: { kind: 'timeout' as const, message: 'm' },
    };
    expect(codeAfterExchange(code, judge('exchange', lost))?.exchangedAt).toBeNull();
  });
});
