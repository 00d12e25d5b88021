/**
 * The official PandaDoc Node SDK against this server: the pass-through paths on the app's own
 * origin must be a drop-in base URL for a real PandaDoc client. The server runs for real (HTTP on
 * an ephemeral port), since the proxy reaches the simulator by URL.
 */
import { serve, type ServerType } from '@hono/node-server';
import {
  ApiException,
  createConfiguration,
  MembersApi,
  OAuth20AuthenticationApi,
  ServerConfiguration,
} from 'pandadoc-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { freePort } from './test-helpers.ts';
import { DEFAULT_SIM_CLIENT_ID, DEFAULT_SIM_CLIENT_SECRET, loadConfig } from './config.ts';

const HEX40 = /^[0-9a-f]{40}$/;

let origin = '';
let server: ServerType;

beforeAll(async () => {
  const port = await freePort();
  const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1' });
  origin = config.origin;
  const { app } = createServerApp({ config });
  await new Promise<void>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: config.host, port }, () => resolve());
    server.once('error', reject);
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Step 1 as a browser would do it: open the consent screen, click Authorize, read the redirect. */
async function authorize(state = 'sdk-test-state'): Promise<string> {
  const query = new URLSearchParams({
    client_id: DEFAULT_SIM_CLIENT_ID,
    redirect_uri: `${origin}/callback`,
    scope: 'read write',
    response_type: 'code',
    state,
  });
  const page = await fetch(`${origin}/sim/oauth2/authorize?${query}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Authorize Application');
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBe('/sim/oauth2/authorize');
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  )) {
    form.append(name, value.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
  }
  form.append('decision', 'allow');
  const answer = await fetch(`${origin}${action}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(`${origin}/callback`);
  expect(location.searchParams.get('state')).toBe(state);
  const code = location.searchParams.get('code') ?? '';
  expect(code).toMatch(HEX40);
  return code;
}

function sdkConfig(auth?: { accessToken?: string; apiKey?: string }) {
  return createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(origin, {}),
    authMethods: {
      ...(auth?.accessToken ? { oauth2: { accessToken: auth.accessToken } } : {}),
      ...(auth?.apiKey ? { apiKey: auth.apiKey } : {}),
    },
  });
}

/** What the SDK throws for a non-2xx answer: its status and parsed body. */
async function failure(call: Promise<unknown>): Promise<{ code: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const e = error as ApiException<unknown>;
    return { code: e.code, body: e.body };
  }
  throw new Error('expected the SDK call to fail');
}

describe('official pandadoc-node-client SDK against the app origin', () => {
  it('exchanges a code, refreshes, and calls members/current with the OAuth token', async () => {
    const code = await authorize();
    const oauth = new OAuth20AuthenticationApi(sdkConfig());

    const first = await oauth.accessToken({
      grantType: 'authorization_code',
      clientId: DEFAULT_SIM_CLIENT_ID,
      clientSecret: DEFAULT_SIM_CLIENT_SECRET,
      code,
    });
    expect(first.accessToken).toMatch(HEX40);
    expect(first.refreshToken).toMatch(HEX40);
    expect(first.tokenType).toBe('Bearer');
    expect(first.expiresIn).toBe(31535999);
    expect(first.scope).toBe('read write read+write');

    const member = await new MembersApi(
      sdkConfig({ accessToken: first.accessToken }),
    ).detailsCurrentMember();
    expect(member.firstName).toBe('Dana');
    expect(member.lastName).toBe('Demo');
    expect(member.email).toBe('demo@example.com');
    expect(member.workspaceName).toBe('Demo Workspace');
    expect(member.workspace).toBe('Pv8sDy3jNe5XrKq7UaWm2c');
    expect(member.role).toBe('Admin');

    // The code is single use.
    const reused = await failure(
      oauth.accessToken({
        grantType: 'authorization_code',
        clientId: DEFAULT_SIM_CLIENT_ID,
        clientSecret: DEFAULT_SIM_CLIENT_SECRET,
        code,
      }),
    );
    expect(reused).toEqual({ code: 400, body: { error: 'invalid_grant' } });

    const second = await oauth.accessToken({
      grantType: 'refresh_token',
      clientId: DEFAULT_SIM_CLIENT_ID,
      clientSecret: DEFAULT_SIM_CLIENT_SECRET,
      refreshToken: first.refreshToken,
    });
    expect(second.accessToken).toMatch(HEX40);
    expect(second.refreshToken).toMatch(HEX40);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.scope).toBe('read write read+write');
    expect(second.expiresIn).toBe(31535999);

    // Rotation: the old refresh token and the old access token are dead.
    const oldRefresh = await failure(
      oauth.accessToken({
        grantType: 'refresh_token',
        clientId: DEFAULT_SIM_CLIENT_ID,
        clientSecret: DEFAULT_SIM_CLIENT_SECRET,
        refreshToken: first.refreshToken,
      }),
    );
    expect(oldRefresh).toEqual({ code: 400, body: { error: 'invalid_grant' } });
    const oldAccess = await failure(
      new MembersApi(sdkConfig({ accessToken: first.accessToken })).detailsCurrentMember(),
    );
    expect(oldAccess.code).toBe(401);
    expect(oldAccess.body).toMatchObject({ type: 'authentication_error' });

    const after = await new MembersApi(
      sdkConfig({ accessToken: second.accessToken }),
    ).detailsCurrentMember();
    expect(after.userId).toBe(member.userId);
    expect(after.membershipId).toBe(member.membershipId);
  });

  it("ignores the API-Key header the SDK's own example attaches to token calls", async () => {
    const code = await authorize('with-api-key');
    const oauth = new OAuth20AuthenticationApi(sdkConfig({ apiKey: `API-Key ${'a'.repeat(40)}` }));
    const tokens = await oauth.accessToken({
      grantType: 'authorization_code',
      clientId: DEFAULT_SIM_CLIENT_ID,
      clientSecret: DEFAULT_SIM_CLIENT_SECRET,
      code,
    });
    expect(tokens.accessToken).toMatch(HEX40);
  });

  it('reports a wrong client secret as invalid_client (HTTP 400)', async () => {
    const code = await authorize('wrong-secret');
    const oauth = new OAuth20AuthenticationApi(sdkConfig());
    const wrong = await failure(
      oauth.accessToken({
        grantType: 'authorization_code',
        clientId: DEFAULT_SIM_CLIENT_ID,
        clientSecret: 'not-the-secret',
        code,
      }),
    );
    expect(wrong).toEqual({ code: 400, body: { error: 'invalid_client' } });
  });

  it('rejects members/current without a token: 401 authentication_error', async () => {
    const none = await failure(new MembersApi(sdkConfig()).detailsCurrentMember());
    expect(none.code).toBe(401);
    expect(none.body).toEqual({
      type: 'authentication_error',
      detail: 'Authentication credentials were not provided.',
    });
  });
});
