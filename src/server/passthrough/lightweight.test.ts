import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { LocalRequest, wholeBody } from './lightweight.ts';

describe('wholeBody', () => {
  it('reads @hono/node-server’s lightweight Response without building a real one', () => {
    // What serving with @hono/node-server does: its Response replaces the global one.
    getRequestListener(() => new Response(null));
    const light = new Response('{"a":1}', { status: 201 });
    expect(wholeBody(light)).toBe('{"a":1}');
    expect(wholeBody(new Response(null, { status: 204 }))).toBeNull();
    const bytes = new Uint8Array([1, 2]);
    expect(wholeBody(new Response(bytes))).toBe(bytes);
    expect(light.status).toBe(201);
  });

  it('is undefined for a stream body: read it the standard way', () => {
    const stream = new ReadableStream({ start: (c) => c.close() });
    expect(wholeBody(new Response(stream))).toBeUndefined();
  });
});

describe('LocalRequest', () => {
  const form = 'grant_type=authorization_code&code=abc';

  it('is enough of a Request for a Hono app reading headers and a form', async () => {
    const app = new Hono().post('/t', async (c) =>
      c.json({
        type: c.req.header('content-type'),
        length: c.req.header('content-length'),
        form: Object.fromEntries(new URLSearchParams(await c.req.text())),
      }),
    );
    const req = new LocalRequest(
      'http://127.0.0.1:5173/t',
      'POST',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      new TextEncoder().encode(form),
    );
    const res = await app.fetch(req as unknown as Request);
    expect(await res.json()).toEqual({
      type: 'application/x-www-form-urlencoded',
      length: String(form.length),
      form: { grant_type: 'authorization_code', code: 'abc' },
    });
  });

  it('reads its body once, in any of the standard forms', async () => {
    const make = () =>
      new LocalRequest('http://x/', 'POST', { 'content-type': 'application/json' }, '{"a":1}');
    const once = make();
    expect(await once.json()).toEqual({ a: 1 });
    expect(once.bodyUsed).toBe(true);
    await expect(once.text()).rejects.toThrow(/already read/);
    expect(new TextDecoder().decode(await make().arrayBuffer())).toBe('{"a":1}');
    expect(await (await make().blob()).text()).toBe('{"a":1}');
    const multipart = new LocalRequest(
      'http://x/',
      'POST',
      { 'content-type': 'multipart/form-data; boundary=b' },
      '--b\r\nContent-Disposition: form-data; name="code"\r\n\r\nxyz\r\n--b--\r\n',
    );
    expect((await multipart.formData()).get('code')).toBe('xyz');
    expect(new LocalRequest('http://x/', 'GET', {}, null).body).toBeNull();
  });
});
