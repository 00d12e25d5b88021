/**
 * Legal but hostile answers for component tests: what real servers, proxies and CDNs send.
 * Every list a view renders from them repeats something (headers, form fields, scopes).
 */
import type { TokenCallResult, UpstreamExchange } from '../lib/api/wire.ts';
import { judge, type Judged } from '../lib/verdict/judge.ts';

export const NON_ASCII = 'Zoë Ñúñez 日本語 ☕ עברית';
export const HTML = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>';
/** One mebibyte of body, the size the local server cuts at. */
export const HUGE = 'x'.repeat(1024 * 1024);

const request = {
  method: 'POST',
  url: 'http://127.0.0.1:5173/sim/oauth2/access_token',
  headers: [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Accept', 'application/json'],
    ['Accept', 'text/html'],
  ] as [string, string][],
  // A form may legally repeat a field; scope twice is common in hand-written clients.
  body: 'grant_type=authorization_code&client_id=abc&scope=read&scope=read&code=0123456789abcdef0123456789abcdef01234567',
};

/** A 200 token answer behind a load balancer: two Set-Cookie headers, unknown fields. */
export function tokenAnswer(
  body: string,
  extraHeaders: [string, string][] = [],
): Judged<TokenCallResult> {
  const call: TokenCallResult = {
    startedAt: Date.UTC(2026, 10, 28, 12, 0, 0),
    durationMs: 42,
    request,
    response: {
      status: 200,
      statusText: 'OK',
      headers: [
        ['content-type', 'application/json'],
        ['set-cookie', 'AWSALB=one; Path=/'],
        ['set-cookie', 'AWSALBCORS=two; Path=/; SameSite=None; Secure'],
        ['x-note', NON_ASCII],
        ...extraHeaders,
      ],
      body,
      truncated: body.length >= HUGE.length,
    },
    failure: null,
    secretSource: 'server',
  };
  return judge('exchange', call);
}

export const TOKEN_BODY = JSON.stringify({
  access_token: 'a'.repeat(40),
  token_type: 'Bearer',
  expires_in: 31535999,
  scope: 'read read',
  refresh_token: 'b'.repeat(40),
  [NON_ASCII]: HTML,
});

/** The server never got an answer. */
export function noAnswer(): Judged<UpstreamExchange> {
  return judge('verify', {
    startedAt: 0,
    durationMs: 15000,
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:5173/sim/public/v1/members/current',
      headers: [
        ['Authorization', `Bearer ${'c'.repeat(40)}`],
        ['Authorization', 'Bearer second'],
      ],
      body: null,
    },
    response: null,
    failure: { kind: 'timeout', message: 'PandaDoc did not answer within 15 s.' },
  });
}

/** Matches the accessible name of a FieldTable row header for a field marked "unknown". */
export const unknownField = (name: string) => (accessibleName: string) =>
  accessibleName.replace(/\s+/g, ' ') === `${name} unknown`;
