import { describe, expect, it } from 'vitest';
import { parseTokenResponse, type TokenResponseResult } from './tokenResponse.ts';

const JSON_TYPE = 'application/json';
const AT = 1_700_000_000_000;
const LIVE = {
  access_token: '2ff2dfe36322448c6953616740a910be57bbd4ca',
  token_type: 'Bearer',
  expires_in: 31535999,
  scope: 'read write read+write',
  refresh_token: '4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a',
};

function ok(r: TokenResponseResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.kind}`);
  return r;
}

describe('parseTokenResponse: success', () => {
  it('parses the recorded live response without warnings', () => {
    const r = ok(
      parseTokenResponse(200, 'application/json; charset=utf-8', JSON.stringify(LIVE), AT),
    );
    expect(r.warnings).toEqual([]);
    expect(r.tokens).toEqual({
      accessToken: LIVE.access_token,
      refreshToken: LIVE.refresh_token,
      tokenType: 'Bearer',
      expiresIn: 31535999,
      scope: 'read write read+write',
      receivedAt: AT,
      expiresAt: AT + 31535999 * 1000,
      extra: {},
    });
  });

  it('keeps unknown fields raw in extra', () => {
    const body = { ...LIVE, id_token: 'x', nested: { a: [1] } };
    const r = ok(parseTokenResponse(200, JSON_TYPE, JSON.stringify(body), AT));
    expect(r.tokens.extra).toEqual({ id_token: 'x', nested: { a: [1] } });
  });

  it('warns about harmless oddities instead of failing', () => {
    const body = { access_token: 'tok', token_type: 'mac', expires_in: '3600', scope: 5 };
    const r = ok(parseTokenResponse(201, 'text/plain', JSON.stringify(body), AT));
    expect(r.tokens.expiresIn).toBe(3600);
    expect(r.tokens.tokenType).toBe('mac');
    expect(r.tokens.scope).toBeNull();
    expect(r.tokens.refreshToken).toBeNull();
    const all = r.warnings.join('\n');
    expect(all).toMatch(/status was 201/);
    expect(all).toMatch(/text\/plain/);
    expect(all).toMatch(/token_type is "mac"/);
    expect(all).toMatch(/expires_in is a string/);
    expect(all).toMatch(/scope is a number/);
    expect(all).toMatch(/No refresh_token/);
  });

  it('defaults a missing token_type to Bearer and leaves expiry unknown', () => {
    const r = ok(
      parseTokenResponse(200, null, JSON.stringify({ access_token: 'a', refresh_token: 'r' }), AT),
    );
    expect(r.tokens.tokenType).toBe('Bearer');
    expect(r.tokens.expiresIn).toBeNull();
    expect(r.tokens.expiresAt).toBeNull();
    expect(r.warnings.join('\n')).toMatch(/token_type is missing[\s\S]*expires_in is missing/);
  });

  it('warns about an already-expired token', () => {
    const r = ok(
      parseTokenResponse(200, JSON_TYPE, JSON.stringify({ ...LIVE, expires_in: 0 }), AT),
    );
    expect(r.warnings.join()).toMatch(/already expired/);
  });
});

describe('parseTokenResponse: failures', () => {
  it('turns a 400 with {error} into an oauth_error', () => {
    const body = {
      error: 'invalid_request',
      error_description: "No 'grant_type' included in the request.",
    };
    expect(parseTokenResponse(400, JSON_TYPE, JSON.stringify(body), AT)).toEqual({
      ok: false,
      kind: 'oauth_error',
      status: 400,
      error: 'invalid_request',
      description: "No 'grant_type' included in the request.",
      body,
    });
  });

  it('handles a bare error body', () => {
    const r = parseTokenResponse(400, JSON_TYPE, '{"error":"invalid_grant"}', AT);
    expect(r).toMatchObject({
      ok: false,
      kind: 'oauth_error',
      error: 'invalid_grant',
      description: null,
    });
  });

  it('treats a 200 carrying only an error as an oauth_error', () => {
    expect(parseTokenResponse(200, JSON_TYPE, '{"error":"invalid_client"}', AT)).toMatchObject({
      kind: 'oauth_error',
      status: 200,
    });
  });

  it('treats a 200 carrying both a token and an error as the error', () => {
    const body =
      '{"access_token":"2ff2dfe36322448c6953616740a910be57bbd4ca","error":"invalid_grant"}';
    expect(parseTokenResponse(200, JSON_TYPE, body, AT)).toMatchObject({
      ok: false,
      kind: 'oauth_error',
      error: 'invalid_grant',
    });
  });

  it('recognises HTML by content type or a leading <', () => {
    expect(parseTokenResponse(502, 'text/html', 'Bad gateway', AT)).toMatchObject({
      kind: 'html',
      status: 502,
    });
    const r = parseTokenResponse(200, JSON_TYPE, '  <!doctype html><html>', AT);
    expect(r).toMatchObject({ kind: 'html' });
    if (!r.ok && r.kind === 'html')
      expect(r.message).toMatch(/proxy, a captive portal or a wrong URL/);
  });

  it('reports text that is not JSON, quoting only a little of it', () => {
    const r = parseTokenResponse(500, 'text/plain', `Internal Server Error ${'x'.repeat(200)}`, AT);
    expect(r).toMatchObject({ kind: 'not_json', status: 500 });
    if (!r.ok && r.kind === 'not_json') expect(r.message.length).toBeLessThan(100);
    expect(parseTokenResponse(200, JSON_TYPE, '', AT)).toMatchObject({ kind: 'not_json' });
  });

  it.each([
    ['[1,2]', /an array, not an object/],
    ['"token"', /a string, not an object/],
    ['null', /null, not an object/],
    ['{}', /no access_token/],
    ['{"access_token":123}', /access_token is a number/],
    ['{"access_token":""}', /access_token is empty/],
    ['{"access_token":"a","refresh_token":5}', /refresh_token is a number/],
  ])('calls %s malformed', (body, message) => {
    const r = parseTokenResponse(200, JSON_TYPE, body, AT);
    expect(r).toMatchObject({ ok: false, kind: 'malformed' });
    if (!r.ok && r.kind === 'malformed') expect(r.message).toMatch(message);
  });

  it('calls a non-2xx JSON without error malformed', () => {
    expect(parseTokenResponse(401, JSON_TYPE, '{"detail":"nope"}', AT)).toMatchObject({
      kind: 'malformed',
      status: 401,
    });
  });
});

describe('parseTokenResponse: each edge, the whole result', () => {
  const parse = (body: unknown, status = 200, contentType: string | null = JSON_TYPE) =>
    parseTokenResponse(status, contentType, JSON.stringify(body), AT);
  const TOKEN = { access_token: LIVE.access_token, token_type: 'Bearer', expires_in: 60 };

  it('2xx is success: 299 warns, 199 and 300 without an error field are malformed', () => {
    expect(parse(TOKEN, 299, 'Application/JSON; charset=utf-8')).toEqual({
      ok: true,
      tokens: {
        accessToken: '2ff2dfe36322448c6953616740a910be57bbd4ca',
        refreshToken: null,
        tokenType: 'Bearer',
        expiresIn: 60,
        scope: null,
        receivedAt: 1700000000000,
        expiresAt: 1700000060000,
        extra: {},
      },
      warnings: [
        'The status was 299; PandaDoc answers 200.',
        'No refresh_token came back: when this access token expires the user must authorize again.',
      ],
    });
    expect(parse(TOKEN, 300)).toEqual({
      ok: false,
      kind: 'malformed',
      status: 300,
      message: 'HTTP 300: the JSON has no "error" field, so it is not an OAuth error response.',
    });
    expect(parse(TOKEN, 199)).toMatchObject({ ok: false, kind: 'malformed', status: 199 });
  });

  it('an access_token missing, empty or not a string is malformed', () => {
    expect(parse({ token_type: 'Bearer' })).toEqual({
      ok: false,
      kind: 'malformed',
      status: 200,
      message: 'HTTP 200 but the JSON has no access_token.',
    });
    expect(parse({ access_token: '' })).toMatchObject({
      message: 'HTTP 200 but access_token is empty.',
    });
    expect(parse({ access_token: 5 }, 201)).toMatchObject({
      message: 'HTTP 201 but access_token is a number, not a string.',
    });
    expect(parse({ access_token: null })).toMatchObject({
      message: 'HTTP 200 but access_token is null, not a string.',
    });
  });

  it('a refresh_token that is not a string is malformed; an empty one counts as none', () => {
    expect(parse({ ...TOKEN, refresh_token: 7 })).toEqual({
      ok: false,
      kind: 'malformed',
      status: 200,
      message: 'refresh_token is a number, not a string.',
    });
    expect(parse({ ...TOKEN, refresh_token: '' })).toEqual({
      ok: true,
      tokens: {
        accessToken: '2ff2dfe36322448c6953616740a910be57bbd4ca',
        refreshToken: null,
        tokenType: 'Bearer',
        expiresIn: 60,
        scope: null,
        receivedAt: 1700000000000,
        expiresAt: 1700000060000,
        extra: {},
      },
      warnings: [
        'No refresh_token came back: when this access token expires the user must authorize again.',
      ],
    });
    expect(ok(parse({ ...TOKEN, refresh_token: null })).tokens.refreshToken).toBeNull();
  });

  it('reads odd but usable fields, each with its warning', () => {
    expect(
      parse(
        {
          access_token: 'a',
          token_type: 'mac',
          expires_in: '3600',
          scope: 5,
          refresh_token: 'r',
          id_token: 'x',
        },
        200,
        'text/plain',
      ),
    ).toEqual({
      ok: true,
      tokens: {
        accessToken: 'a',
        refreshToken: 'r',
        tokenType: 'mac',
        expiresIn: 3600,
        scope: null,
        receivedAt: 1700000000000,
        expiresAt: 1700003600000,
        extra: { id_token: 'x' },
      },
      warnings: [
        'The content type was "text/plain", not application/json.',
        'token_type is "mac"; PandaDoc\'s API expects Bearer tokens.',
        'expires_in is a string, not a number; read it as a number anyway.',
        'scope is a number; ignored.',
      ],
    });
    expect(
      parse(
        { access_token: 'a', token_type: 7, expires_in: 0, scope: null, refresh_token: 'r' },
        200,
        null,
      ),
    ).toEqual({
      ok: true,
      tokens: {
        accessToken: 'a',
        refreshToken: 'r',
        tokenType: 'Bearer',
        expiresIn: 0,
        scope: null,
        receivedAt: 1700000000000,
        expiresAt: 1700000000000,
        extra: {},
      },
      warnings: [
        'token_type is a number; assuming Bearer.',
        'expires_in is zero or negative: the token is already expired.',
      ],
    });
  });

  it('expires_in as a string must be digits only', () => {
    const expiry = (expires_in: unknown) => {
      const r = ok(parse({ ...TOKEN, refresh_token: 'r', expires_in }));
      return [r.tokens.expiresIn, r.tokens.expiresAt, r.warnings];
    };
    expect(expiry('36x')).toEqual([
      null,
      null,
      ['expires_in is a string, so the expiry time is unknown.'],
    ]);
    expect(expiry('x36')).toEqual([
      null,
      null,
      ['expires_in is a string, so the expiry time is unknown.'],
    ]);
    expect(expiry('')).toEqual([
      null,
      null,
      ['expires_in is a string, so the expiry time is unknown.'],
    ]);
    expect(expiry(null)).toEqual([
      null,
      null,
      ['expires_in is null, so the expiry time is unknown.'],
    ]);
    expect(expiry(-1)).toEqual([
      -1,
      AT - 1000,
      ['expires_in is zero or negative: the token is already expired.'],
    ]);
    expect(expiry(1)).toEqual([1, AT + 1000, []]);
    expect(ok(parse({ ...TOKEN, refresh_token: 'r', token_type: 'bearer' })).warnings).toEqual([]);
  });
});
