import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamExchange } from './api/wire.ts';
import {
  currentMemberRequest,
  exchangeCodeRequest,
  processTokenCall,
  refreshTokenRequest,
} from './grants.ts';

const TOKEN = '2ff2dfe36322448c6953616740a910be57bbd4ca';
const client = { environment: 'simulator' as const, clientId: 'cid', clientSecret: 'typed' };

/** The local server's /api answering with one recorded call; returns what the browser sent. */
function localServer(status: number, body: string) {
  const sent: Array<{ path: string; body: unknown }> = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    sent.push({ path, body: JSON.parse(String(init.body)) });
    const call: UpstreamExchange & { secretSource: 'browser' } = {
      startedAt: 1000,
      durationMs: 5,
      request: { method: 'POST', url: 'http://sim/oauth2/access_token', headers: [], body: '' },
      response: {
        status,
        statusText: '',
        headers: [['content-type', 'application/json']],
        body,
        truncated: false,
      },
      failure: null,
      secretSource: 'browser',
    };
    return new Response(JSON.stringify(call), { headers: { 'Content-Type': 'application/json' } });
  });
  return sent;
}

afterEach(() => vi.unstubAllGlobals());

describe('grants: send + process', () => {
  it('exchangeCodeRequest sends the code grant form and judges the answer', async () => {
    const sent = localServer(200, `{"access_token":"${TOKEN}","expires_in":60}`);
    const call = await exchangeCodeRequest(client, 'the-code', { redirectUri: 'http://r/cb' });
    expect(sent[0]).toEqual({
      path: '/api/token',
      body: {
        environment: 'simulator',
        format: 'form',
        fields: [
          ['grant_type', 'authorization_code'],
          ['client_id', 'cid'],
          ['client_secret', 'typed'],
          ['code', 'the-code'],
          ['redirect_uri', 'http://r/cb'],
        ],
      },
    });
    expect(call.verdict).toMatchObject({ outcome: 'ok', grant: 'spent' });
    expect(processTokenCall(call)).toMatchObject({ accessToken: TOKEN, expiresAt: 1005 + 60_000 });
  });

  it('refreshTokenRequest builds the one refresh form; a refusal gives no tokens', async () => {
    const sent = localServer(400, '{"error":"invalid_grant"}');
    const call = await refreshTokenRequest(client, 'old-refresh');
    expect((sent[0]!.body as { fields: unknown }).fields).toEqual([
      ['grant_type', 'refresh_token'],
      ['client_id', 'cid'],
      ['client_secret', 'typed'],
      ['refresh_token', 'old-refresh'],
    ]);
    expect(call.verdict).toMatchObject({ outcome: 'error', grant: 'rejected' });
    expect(processTokenCall(call)).toBeNull();
  });

  it('processTokenCall agrees with the verdict: a token next to an error is no token', async () => {
    localServer(200, `{"access_token":"${TOKEN}","error":"invalid_grant"}`);
    const call = await exchangeCodeRequest(client, 'c');
    expect(call.verdict.outcome).toBe('error');
    expect(processTokenCall(call)).toBeNull();
  });

  it('currentMemberRequest judges a member call (check = a pasted token)', async () => {
    const sent = localServer(401, '{"type":"authentication_error"}');
    const call = await currentMemberRequest('us', 'pasted', 'check');
    expect(sent[0]).toEqual({
      path: '/api/members/current',
      body: { environment: 'us', accessToken: 'pasted' },
    });
    expect(call.verdict).toMatchObject({ errorCode: 'authentication_error', grant: null });
  });

  it('a local server that is not answering is an error the step shows, not a verdict', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(exchangeCodeRequest(client, 'c')).rejects.toThrow(
      'The local debugger server is not answering',
    );
  });
});
