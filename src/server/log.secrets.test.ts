/** The request log never holds a secret, code, token or state, after a full flow through every path. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createServerApp } from './app.ts';
import { DEFAULT_SIM_CLIENT_ID, DEFAULT_SIM_CLIENT_SECRET } from './config.ts';
import { consentForm } from './test-helpers.ts';
import type { UpstreamExchange } from '../lib/api/wire.ts';
import {
  ORIGIN,
  config,
  JSON_HEADERS,
  FORM_HEADERS,
  distDir,
  removeDistDir,
} from './securityHarness.ts';

afterAll(removeDistDir);

describe('the log never holds a secret, code, token or state', () => {
  it('after a full flow through /api and the pass-through paths', async () => {
    const lines: string[] = [];
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(capture),
    );
    // The proxy reaches the simulator by URL; in-process, that URL is served by the same app.
    const { app } = createServerApp({
      config,
      distDir: await distDir(),
      fetchImpl: ((input: string | URL | Request, init?: RequestInit) =>
        app.fetch(new Request(input, init))) as typeof fetch,
      log: (line) => lines.push(line),
    });
    const call = (path: string, init: RequestInit = {}) => app.request(`${ORIGIN}${path}`, init);
    const secrets: string[] = [DEFAULT_SIM_CLIENT_SECRET];
    const keep = (value: string | null | undefined) => {
      expect(value).toBeTruthy();
      secrets.push(value!);
      return value!;
    };

    try {
      // 1-3: authorize, consent, callback.
      async function authorize(state: string): Promise<string> {
        const q = new URLSearchParams({
          client_id: DEFAULT_SIM_CLIENT_ID,
          redirect_uri: `${ORIGIN}/callback`,
          scope: 'read+write',
          response_type: 'code',
          state,
        });
        const page = await call(`/sim/oauth2/authorize?${q}`);
        expect(page.status).toBe(200);
        const consent = await call('/sim/oauth2/authorize', {
          method: 'POST',
          body: consentForm(await page.text()).toString(),
          headers: { ...FORM_HEADERS, Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
        });
        expect(consent.status).toBe(302);
        const location = consent.headers.get('Location')!;
        const back = new URL(location);
        expect((await call(`${back.pathname}${back.search}`)).status).toBe(200);
        return keep(back.searchParams.get('code'));
      }
      const apiJson = async (path: string, body: unknown) => {
        const res = await call(path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { ...JSON_HEADERS, Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
        });
        expect(res.status).toBe(200);
        const exchange = (await res.json()) as UpstreamExchange;
        expect(exchange.response?.status).toBe(200);
        return JSON.parse(exchange.response!.body) as Record<string, string>;
      };

      // 4-7 through the app's API.
      const code = await authorize(keep('state-Zq81-opaque-value'));
      const first = await apiJson('/api/token', {
        environment: 'simulator',
        fields: [
          ['grant_type', 'authorization_code'],
          ['client_id', DEFAULT_SIM_CLIENT_ID],
          ['code', code],
        ],
      });
      keep(first.access_token);
      keep(first.refresh_token);
      const member = await apiJson('/api/members/current', {
        environment: 'simulator',
        accessToken: first.access_token,
      });
      expect(member.email).toBe('demo@example.com');
      const second = await apiJson('/api/token', {
        environment: 'simulator',
        fields: [
          ['grant_type', 'refresh_token'],
          ['client_id', DEFAULT_SIM_CLIENT_ID],
          ['client_secret', DEFAULT_SIM_CLIENT_SECRET],
          ['refresh_token', first.refresh_token],
        ],
      });
      keep(second.access_token);
      keep(second.refresh_token);

      // The same through the pass-through paths, as the SDK would.
      const code2 = await authorize(keep('another-state-9c1b'));
      const passToken = async (form: Record<string, string>, headers = {}) => {
        const res = await call('/oauth2/access_token', {
          method: 'POST',
          body: new URLSearchParams(form).toString(),
          headers: { ...FORM_HEADERS, ...headers },
        });
        expect(res.status).toBe(200);
        return (await res.json()) as Record<string, string>;
      };
      const third = await passToken({
        grant_type: 'authorization_code',
        client_id: DEFAULT_SIM_CLIENT_ID,
        client_secret: DEFAULT_SIM_CLIENT_SECRET,
        code: code2,
      });
      keep(third.access_token);
      keep(third.refresh_token);
      const me = await call('/public/v1/members/current', {
        headers: { Authorization: `Bearer ${third.access_token}` },
      });
      expect(me.status).toBe(200);
      const basic = Buffer.from(`${DEFAULT_SIM_CLIENT_ID}:${DEFAULT_SIM_CLIENT_SECRET}`).toString(
        'base64',
      );
      secrets.push(basic);
      const fourth = await passToken(
        { grant_type: 'refresh_token', refresh_token: third.refresh_token },
        { Authorization: `Basic ${basic}` },
      );
      keep(fourth.access_token);
      // Failures too: a reused code, a dead token, a refused Host.
      await passToken({ grant_type: 'authorization_code', code: code2 }).catch(() => undefined);
      await call('/public/v1/members/current', {
        headers: { Authorization: `Bearer ${first.access_token}` },
      });
      await call(`/callback?code=${code}&state=x`, { headers: { Host: 'evil.example' } });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    expect(lines.length).toBeGreaterThan(15);
    for (const line of lines) {
      expect(line).toMatch(/^(GET|POST|PUT|OPTIONS) \/[^\s?]* \d{3} \d+\.\dms$/);
    }
    const everything = [...lines, ...printed].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(lines).toContain(lines.find((l) => l.startsWith('POST /api/token 200')));
    expect(lines.some((l) => l.startsWith('GET /callback 200'))).toBe(true);
  });
});
