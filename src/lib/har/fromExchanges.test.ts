import type { Har } from 'har-format';
import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import { SIM_CLIENT, SimSession } from '../triage/fixtures.ts';
import { toHar } from './fromExchanges.ts';
import { sanitizeHar } from './sanitize.ts';
import { findSecret } from './testSecrets.ts';
import { checkHar } from './validate.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A whole flow against the simulator, recorded as the pass-through captures it: secret and all. */
async function recordedFlow() {
  const s = new SimSession();
  const { clientId, clientSecret } = SIM_CLIENT;
  const code = await s.authorize();
  const exchange = await s.exchange(
    code.value,
    {},
    {
      rawBody: form({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        code: code.value,
      }),
    },
  );
  const first = SimSession.tokens(exchange);
  const verify = await s.verify(first.access);
  const refresh = await s.refresh(
    first.refresh,
    {},
    {
      rawBody: form({
        grant_type: 'refresh_token',
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: first.refresh,
      }),
    },
  );
  const second = SimSession.tokens(refresh);
  const timedOut: UpstreamExchange = {
    startedAt: s.clock,
    durationMs: 15000,
    request: {
      method: 'GET',
      url: 'https://api.pandadoc.com/public/v1/members/current',
      headers: [['Authorization', `Bearer ${second.access}`]],
      body: null,
    },
    response: null,
    failure: { kind: 'timeout', message: 'no answer in 15 s' },
  };
  const secrets = [
    clientSecret,
    code.value,
    first.access,
    first.refresh,
    second.access,
    second.refresh,
  ];
  return { calls: [exchange, verify, refresh, timedOut], secrets };
}

describe('toHar', () => {
  it('writes a valid HAR 1.2 with each call as sent and received', async () => {
    const { calls } = await recordedFlow();
    const har = toHar(calls, { name: 'test', version: '9' });
    expect(checkHar(JSON.parse(JSON.stringify(har))).issues).toEqual([]);
    expect(har.log.creator).toEqual({ name: 'test', version: '9' });
    const [exchange, verify, , timedOut] = har.log.entries;
    expect(exchange.request.method).toBe('POST');
    expect(exchange.request.postData?.mimeType).toBe('application/x-www-form-urlencoded');
    expect(exchange.request.postData?.params?.map((p) => p.name)).toEqual([
      'grant_type',
      'client_id',
      'client_secret',
      'code',
    ]);
    expect(exchange.request.bodySize).toBe(calls[0].request.body?.length);
    expect(exchange.response.status).toBe(200);
    expect(JSON.parse(exchange.response.content.text ?? '')).toHaveProperty('access_token');
    expect(exchange.startedDateTime).toBe(new Date(calls[0].startedAt).toISOString());
    expect(verify.request.headers).toContainEqual({
      name: 'Authorization',
      value: calls[1].request.headers[0][1],
    });
    expect(timedOut.response).toMatchObject({ status: 0, _error: 'timeout: no answer in 15 s' });
  });

  it('round-trips: toHar → sanitizeHar → JSON → still a valid HAR, with no secret left', async () => {
    const { calls, secrets } = await recordedFlow();
    const har = toHar(calls);
    const text = JSON.stringify(har);
    for (const s of secrets) expect(findSecret(text, s), s).not.toBeNull();
    const result = await sanitizeHar(har);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const written = JSON.stringify(result.har);
    const reread = JSON.parse(written) as Har;
    expect(checkHar(reread).issues).toEqual([]);
    for (const s of secrets) expect(findSecret(written, s), s).toBeNull();
    expect(reread.log.entries.map((e) => e.response.status)).toEqual([200, 200, 200, 0]);
  });

  it('still writes a valid HAR for pasted evidence with no time and a relative URL', () => {
    const har = toHar([
      {
        startedAt: Number.NaN,
        durationMs: Number.NaN,
        request: { method: 'POST', url: '/oauth2/access_token', headers: [], body: 'code=x' },
        response: {
          status: 400,
          statusText: '',
          headers: [],
          body: '{"error":"invalid_grant"}',
          truncated: false,
        },
        failure: null,
      },
    ]);
    expect(checkHar(JSON.parse(JSON.stringify(har))).issues).toEqual([]);
    expect(har.log.entries[0].startedDateTime).toBe('1970-01-01T00:00:00.000Z');
    expect(har.log.entries[0].request.queryString).toEqual([]);
  });
});
