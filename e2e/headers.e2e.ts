import { expect, test } from '@playwright/test';

/** The server's perimeter, seen from outside: page headers and the cross-site guards. */

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

for (const path of ['/', '/callback']) {
  test(`${path} is served with a strict CSP, no framing, no referrer, no sniffing`, async ({
    request,
  }) => {
    const res = await request.get(path);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/html/);
    const csp = res.headers()['content-security-policy'];
    expect(csp).toBeTruthy();
    const policy = directives(csp!);
    const scripts = policy.get('script-src') ?? policy.get('default-src');
    expect(scripts).toEqual(["'self'"]);
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers()['referrer-policy']).toBe('no-referrer');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    // The page really has no inline script for the CSP to forbid.
    const html = await res.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
}

test('/callback, which carries the code, is never cached', async ({ request }) => {
  const res = await request.get(
    '/callback?state=abc&code=0123456789abcdef0123456789abcdef01234567',
  );
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toBe('no-store');
  // The home page may be revalidated, but is not no-store: the difference is deliberate.
  const home = await request.get('/');
  expect(home.headers()['cache-control']).toBe('no-cache');
});

test('a POST to /api/token from another site is refused with 403', async ({ request }) => {
  const form = {
    environment: 'simulator',
    fields: [
      ['grant_type', 'refresh_token'],
      ['client_id', 'sim-demo-client-0d6f3b'],
      ['client_secret', ''],
      ['refresh_token', '0123456789abcdef0123456789abcdef01234567'],
    ],
  };
  const res = await request.post('/api/token', {
    headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
    data: form,
  });
  expect(res.status()).toBe(403);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('cross_site');
  expect(body.error.message).toContain('https://evil.example');
  expect(res.headers()['access-control-allow-origin']).toBeUndefined();

  // The same request from a browser marking it cross-site, with no Origin: refused too.
  const marked = await request.post('/api/token', {
    headers: { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' },
    data: form,
  });
  expect(marked.status()).toBe(403);

  // Without Origin (not a browser page) it gets through to the token endpoint and its answer.
  const plain = await request.post('/api/token', { data: form });
  expect(plain.status()).toBe(200);
  const exchange = (await plain.json()) as { response: { status: number; body: string } };
  expect(exchange.response.status).toBe(400);
  expect(exchange.response.body).toContain('invalid_grant');
});

test('a request addressed to another host name is refused with 421 (DNS rebinding)', async ({
  request,
}) => {
  const res = await request.post('/api/token', {
    headers: { Host: 'evil.example', 'Content-Type': 'application/json' },
    data: { environment: 'simulator', fields: [['grant_type', 'refresh_token']] },
  });
  expect(res.status()).toBe(421);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('wrong_host');
  expect(body.error.message).toContain('"evil.example"');

  const page = await request.get('/', { headers: { Host: 'evil.example:5199' } });
  expect(page.status()).toBe(421);
  expect(await page.text()).not.toContain('<script');
});
