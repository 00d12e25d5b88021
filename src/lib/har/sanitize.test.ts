import type { Entry, Har } from 'har-format';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.ts';
import { sanitizeHar } from './sanitize.ts';
import { findSecret } from './testSecrets.ts';

const CODE = '5c27c6c6622504d1868a46de10d8a9c6cad625c3';
const ACCESS = '8708572323e44c1bef707a6b40c1c21df87319af';
const SECRET = 'sim-demo-secret-8a41c7e2b9';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function entry(over: Partial<Entry['request']> = {}, res: Partial<Entry['response']> = {}): Entry {
  return {
    startedDateTime: '2026-11-28T12:00:00.000Z',
    time: 10,
    request: {
      method: 'GET',
      url: 'https://api.example/x',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      queryString: [],
      headersSize: 100,
      bodySize: 0,
      ...over,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 2, mimeType: 'application/json', text: '{}' },
      redirectURL: '',
      headersSize: 100,
      bodySize: 2,
      ...res,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}
const harOf = (...entries: Entry[]): Har => ({
  log: { version: '1.2', creator: { name: 'test', version: '1' }, entries },
});
/** An exchange whose form body carries the code and client_secret, answered with a token. */
const exchange = () =>
  entry(
    {
      method: 'POST',
      url: 'https://api.pandadoc.com/oauth2/access_token',
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: `grant_type=authorization_code&client_id=cid&client_secret=${SECRET}&code=${CODE}`,
      },
    },
    {
      content: {
        size: 60,
        mimeType: 'application/json',
        text: JSON.stringify({ access_token: ACCESS, refresh_token: 'r'.repeat(40) }),
      },
    },
  );

async function sanitized(har: Har): Promise<Har> {
  const result = await sanitizeHar(har);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.leaks)}`);
  return JSON.parse(JSON.stringify(result.har)) as Har;
}

describe('sanitizeHar', () => {
  it('replaces codes, secrets and tokens in form bodies, params, URLs and JSON, keeping the rest', async () => {
    const callback = entry({
      url: `https://app.example/cb?state=st-1&code=${CODE}`,
      queryString: [
        { name: 'state', value: 'st-1' },
        { name: 'code', value: CODE },
      ],
    });
    const [cb, ex] = (await sanitized(harOf(callback, exchange()))).log.entries;
    const code = await fingerprint(CODE);
    expect(cb.request.url).toBe(
      `https://app.example/cb?state=st-1&code=${encodeURIComponent(code)}`,
    );
    expect(new URL(cb.request.url).searchParams.get('code')).toBe(code);
    expect(cb.request.queryString).toEqual([
      { name: 'state', value: 'st-1' },
      { name: 'code', value: code },
    ]);
    const form = new URLSearchParams(ex.request.postData?.text);
    expect(form.get('client_id')).toBe('cid');
    expect(form.get('client_secret')).toBe(await fingerprint(SECRET));
    expect(form.get('code')).toBe(code);
    expect(ex.request.bodySize).toBe(Buffer.byteLength(ex.request.postData?.text ?? ''));
    const body = JSON.parse(ex.response.content.text ?? '') as Record<string, string>;
    expect(body.access_token).toBe(await fingerprint(ACCESS));
    expect(ex.response.content.size).toBe(Buffer.byteLength(ex.response.content.text ?? ''));
  });

  it('keeps the scheme of Authorization headers; Basic keeps the client_id readable', async () => {
    const har = harOf(
      exchange(),
      entry({
        headers: [
          { name: 'Authorization', value: `Bearer ${ACCESS}` },
          { name: 'Proxy-Authorization', value: `Basic ${b64(`cid:${SECRET}`)}` },
          // The official SDK's leftover on token calls: an API key is a secret too.
          { name: 'Authorization', value: 'API-Key 0123456789abcdef0123' },
        ],
      }),
    );
    const headers = (await sanitized(har)).log.entries[1].request.headers;
    expect(headers[0].value).toBe(`Bearer ${await fingerprint(ACCESS)}`);
    const [scheme, blob] = headers[1].value.split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(blob, 'base64').toString('utf8')).toBe(`cid:${await fingerprint(SECRET)}`);
    expect(headers[1].value).not.toContain(b64(`cid:${SECRET}`));
    expect(headers[2].value).toBe(`API-Key ${await fingerprint('0123456789abcdef0123')}`);
  });

  it('replaces a JWT anywhere: a custom header, a vendor field, an HTML body', async () => {
    const e = entry(
      { headers: [{ name: 'X-Debug', value: `session ${JWT} end` }] },
      { content: { size: 10, mimeType: 'text/html', text: `<script>var t="${JWT}"</script>` } },
    ) as Entry & { _vendor: unknown };
    e._vendor = { type: 'script', stack: { callFrames: [{ url: `https://x/#${JWT}` }] } };
    const text = JSON.stringify(await sanitized(harOf(e)));
    expect(findSecret(text, JWT)).toBeNull();
    expect(text).toContain(await fingerprint(JWT));
  });

  it('decodes base64 response bodies, sanitizes them, and encodes them again', async () => {
    const body = JSON.stringify({ access_token: ACCESS, token_type: 'Bearer' });
    const e = entry(
      {},
      {
        content: {
          size: body.length,
          mimeType: 'application/json',
          text: b64(body),
          encoding: 'base64',
        },
        bodySize: body.length,
      },
    );
    const out = (await sanitized(harOf(e))).log.entries[0].response;
    expect(out.content.encoding).toBe('base64');
    const decoded = JSON.parse(Buffer.from(out.content.text ?? '', 'base64').toString('utf8'));
    expect(decoded).toEqual({ access_token: await fingerprint(ACCESS), token_type: 'Bearer' });
    expect(out.content.size).toBe(Buffer.from(out.content.text ?? '', 'base64').length);
  });

  it('replaces a token inside a binary base64 body, byte for byte around it', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from(`token=${ACCESS};`),
      Buffer.from([0x80, 0x81]),
    ]);
    const e = entry(
      {},
      {
        content: {
          size: bytes.length,
          mimeType: 'application/octet-stream',
          text: bytes.toString('base64'),
          encoding: 'base64',
        },
      },
    );
    const out = (await sanitized(harOf(exchange(), e))).log.entries[1].response.content;
    const expected = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from(`token=${await fingerprint(ACCESS)};`, 'utf8'),
      Buffer.from([0x80, 0x81]),
    ]);
    expect(Buffer.from(out.text ?? '', 'base64')).toEqual(expected);
    expect(out.size).toBe(expected.length);
  });

  it('replaces a short password where its field is known, in params and in the form text', async () => {
    const e = entry({
      method: 'POST',
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: 'username=dana&password=hunter2',
        params: [
          { name: 'username', value: 'dana' },
          { name: 'password', value: 'hunter2' },
        ],
      } as never,
    });
    const post = (await sanitized(harOf(e))).log.entries[0].request.postData;
    const print = await fingerprint('hunter2');
    expect(post?.text).toBe(`username=dana&password=${encodeURIComponent(print)}`);
    expect(post?.params).toEqual([
      { name: 'username', value: 'dana' },
      { name: 'password', value: print },
    ]);
  });

  it('replaces a password in a multipart form body', async () => {
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="username"',
      '',
      'dana',
      '--XyZ',
      'Content-Disposition: form-data; name="password"',
      '',
      'Tr0ub4dor&3',
      '--XyZ--',
      '',
    ].join('\r\n');
    const e = entry({
      method: 'POST',
      postData: { mimeType: 'multipart/form-data; boundary=XyZ', text: body },
    });
    const text = (await sanitized(harOf(e))).log.entries[0].request.postData?.text ?? '';
    expect(text).toBe(body.replace('Tr0ub4dor&3', await fingerprint('Tr0ub4dor&3')));
  });

  it('replaces cookies in Cookie and Set-Cookie headers and in the cookies arrays', async () => {
    const session = 'sess-0123456789abcdef';
    const e = entry(
      {
        headers: [{ name: 'Cookie', value: `lang=en; sid=${session}` }],
        cookies: [
          { name: 'lang', value: 'en' },
          { name: 'sid', value: session },
        ],
      },
      {
        headers: [{ name: 'Set-Cookie', value: `sid=${session}; Path=/; HttpOnly` }],
        cookies: [{ name: 'sid', value: session }],
      },
    );
    const out = (await sanitized(harOf(e))).log.entries[0];
    const print = await fingerprint(session);
    expect(out.request.headers[0].value).toBe(`lang=en; sid=${print}`);
    expect(out.request.cookies).toEqual([
      { name: 'lang', value: 'en' },
      { name: 'sid', value: print },
    ]);
    expect(out.response.headers[0].value).toBe(`sid=${print}; Path=/; HttpOnly`);
    expect(out.request.headersSize).toBe(-1);
  });

  it('replaces a secret wherever else it is repeated, Location and redirectURL included', async () => {
    const location = `https://app.example/cb?state=s&code=${CODE}`;
    const e = entry(
      { headers: [{ name: 'X-Whatever', value: CODE }] },
      { status: 302, headers: [{ name: 'Location', value: location }], redirectURL: location },
    ) as Entry & { _note: string };
    e._note = `retrying code ${encodeURIComponent(CODE)} and ${b64(CODE)}`;
    const text = JSON.stringify(await sanitized(harOf(exchange(), e)));
    expect(findSecret(text, CODE)).toBeNull();
  });

  it('refuses when a secret survives in a form it cannot rewrite, and says where', async () => {
    // The code sits inside a base64 blob in a vendor field, at an offset (35 bytes in: not a
    // multiple of 3), so base64 of the code alone is not in it and the walker, which decodes only
    // HAR bodies marked base64, cannot replace it. Only the final search finds it.
    const prefix = 'grant_type=authorization_code&code=';
    expect(prefix.length % 3).not.toBe(0);
    const blob = b64(`${prefix}${CODE}&retry=1`);
    expect(blob).not.toContain(b64(CODE).replace(/=+$/, ''));
    const e = entry() as Entry & { _debugTrace: string };
    e._debugTrace = blob;
    const result = await sanitizeHar(harOf(exchange(), e));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.leaks).toEqual([
      { path: 'log.entries[1]._debugTrace', what: 'authorization code', form: 'base64' },
    ]);
    expect(JSON.stringify(result)).not.toContain(CODE);
  });

  it('knows secrets by the many names apps give them, at any depth of a JSON body', async () => {
    const values = ['aaaa1111bbbb2222', 'cccc3333dddd4444', 'eeee5555ffff6666', 'gggg7777hhhh8888'];
    const body = {
      data: { session: { csrf_token: values[0], secretKey: values[1] } },
      users: [{ new_password: values[2], private_key: values[3], token_type: 'Bearer' }],
    };
    const e = entry(
      {},
      { content: { size: 1, mimeType: 'application/json', text: JSON.stringify(body) } },
    );
    const out = JSON.parse((await sanitized(harOf(e))).log.entries[0].response.content.text ?? '');
    expect(out.data.session.csrf_token).toBe(await fingerprint(values[0]));
    expect(out.data.session.secretKey).toBe(await fingerprint(values[1]));
    expect(out.users[0].new_password).toBe(await fingerprint(values[2]));
    expect(out.users[0].private_key).toBe(await fingerprint(values[3]));
    expect(out.users[0].token_type).toBe('Bearer');
  });

  it('leaves state, client_id, scope and error codes alone', async () => {
    const e = entry(
      {
        url: 'https://app.pandadoc.com/oauth2/authorize?client_id=cid&state=abcdefgh12345678&scope=read%2Bwrite',
      },
      {
        content: {
          size: 40,
          mimeType: 'application/json',
          text: '{"error":{"code":"bad_request_long_name"}}',
        },
      },
    );
    const out = (await sanitized(harOf(e))).log.entries[0];
    expect(out.request.url).toBe(e.request.url);
    expect(out.response.content.text).toBe(e.response.content.text);
  });

  it('changes nothing in a HAR without secrets', async () => {
    const har = harOf(entry());
    const result = await sanitizeHar(har);
    expect(result).toEqual({ ok: true, har, replaced: 0, secrets: 0 });
  });
});

describe('sanitizeHar on damaged input', () => {
  it('sanitizes what is there when required fields are missing, without throwing', async () => {
    const har = {
      log: {
        entries: [
          {
            request: { headers: [{ name: 'Authorization', value: `Bearer ${ACCESS}` }] },
            response: {},
          },
          { request: null, response: { content: null } },
        ],
      },
    } as unknown as Har;
    const result = await sanitizeHar(har);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.stringify(result.har)).not.toContain(ACCESS);
    expect(JSON.stringify(result.har)).toContain(`Bearer ${await fingerprint(ACCESS)}`);
  });
});
