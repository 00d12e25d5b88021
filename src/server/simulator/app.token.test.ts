/** The simulator over HTTP: the token endpoint, and HTTP Basic client authentication. */
import { describe, expect, it } from 'vitest';
import { parseBasicAuth } from './app.ts';
import { codeFrom, exchangeFields, FORM, get, post, tokenCall, useSimulator } from './testApp.ts';

useSimulator();

describe('POST /oauth2/access_token', () => {
  it('exchanges a code: 200 JSON, no-store, PandaDoc field order', async () => {
    const { status, res, body } = await tokenCall(exchangeFields(await codeFrom()));
    expect(status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(Object.keys(body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'scope',
      'refresh_token',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 31535999,
      scope: 'read write read+write',
    });
  });

  it('accepts the trailing slash', async () => {
    const { status } = await tokenCall(exchangeFields(await codeFrom()), '/oauth2/access_token/');
    expect(status).toBe(200);
  });

  it('a JSON body yields an empty form → the grant_type error', async () => {
    const res = await post('/oauth2/access_token', JSON.stringify(exchangeFields('x')), {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      '{"error":"invalid_request","error_description":"No \'grant_type\' included in the request."}',
    );
  });

  it('a body without a form content type is ignored too', async () => {
    const res = await post('/oauth2/access_token', 'grant_type=authorization_code', {});
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('reads multipart/form-data', async () => {
    const data = new FormData();
    for (const [k, v] of Object.entries(exchangeFields(await codeFrom()))) data.append(k, v);
    const res = await post('/oauth2/access_token', data, {});
    expect(res.status).toBe(200);
  });

  it.each(['/oauth2/access_token', '/oauth2/access_token/'])('GET %s → 400', async (path) => {
    const res = await get(`${path}?grant_type=authorization_code`);
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.text()).toBe(
      '{"error":"invalid_request","error_description":"Only POST requests allowed."}',
    );
  });

  it('checks grant_type before the client', async () => {
    const missing = await tokenCall({ client_id: 'bad', client_secret: 'bad', code: 'x' });
    expect(missing).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: "No 'grant_type' included in the request.",
      },
    });
    const unknown = await tokenCall({ grant_type: 'password', client_id: 'bad' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    const badClient = await tokenCall({ grant_type: 'authorization_code', client_id: 'bad' });
    expect(badClient).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('authenticates with HTTP Basic', async () => {
    const code = await codeFrom();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code }).toString();
    const basic = (s: string) => ({ ...FORM, Authorization: `Basic ${btoa(s)}` });
    const wrong = await post('/oauth2/access_token', body, basic('sim-client:nope'));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_client' });
    const ok = await post('/oauth2/access_token', body, basic('sim-client:sim-secret'));
    expect(ok.status).toBe(200);
  });

  it('ignores an API-Key Authorization header on token calls (SDK leftover)', async () => {
    const res = await post(
      '/oauth2/access_token',
      new URLSearchParams(exchangeFields(await codeFrom())).toString(),
      { ...FORM, Authorization: 'API-Key 3039ba033eb1410caa0a2227158d63c9d6502cd8' },
    );
    expect(res.status).toBe(200);
  });

  it('reused code → invalid_grant; rotation kills the old pair', async () => {
    const code = await codeFrom();
    const first = (await tokenCall(exchangeFields(code))).body;
    expect(await tokenCall(exchangeFields(code))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const refreshFields = {
      grant_type: 'refresh_token',
      client_id: 'sim-client',
      client_secret: 'sim-secret',
      refresh_token: String(first.refresh_token),
    };
    const second = await tokenCall(refreshFields);
    expect(second.status).toBe(200);
    expect(second.body.scope).toBe('read write read+write');
    expect(await tokenCall(refreshFields)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const old = await get('/public/v1/members/current', {
      Authorization: `Bearer ${first.access_token}`,
    });
    expect(old.status).toBe(401);
  });
});

describe('parseBasicAuth', () => {
  it('decodes id:secret and splits at the first colon', () => {
    expect(parseBasicAuth(`Basic ${btoa('a:b:c')}`)).toEqual({ id: 'a', secret: 'b:c' });
    expect(parseBasicAuth(`basic ${btoa('a:')}`)).toEqual({ id: 'a', secret: '' });
  });

  it('ignores other schemes and malformed values', () => {
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('API-Key abc')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${btoa('nocolon')}`)).toBeUndefined();
    expect(parseBasicAuth('Basic !!!')).toBeUndefined();
  });
});
