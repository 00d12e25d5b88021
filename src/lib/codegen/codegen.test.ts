/**
 * Show as code: the generated TypeScript (SDK and fetch) is written to a temp dir and run with
 * `node --import tsx`, secrets in environment variables, against a real local server on the
 * simulator; it must get what the app's own call got.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp } from '../../server/app.ts';
import {
  DEFAULT_SIM_CLIENT_ID,
  DEFAULT_SIM_CLIENT_SECRET,
  loadConfig,
} from '../../server/config.ts';
import { listen } from '../../server/listen.ts';
import { consentForm, freePort } from '../../server/test-helpers.ts';
import type { TokenCallResult, UpstreamExchange } from '../api/wire.ts';
import { ENV, snippetsFor } from './index.ts';

const run = promisify(execFile);
let origin = '';
let close: () => Promise<void>;
let dir = '';

beforeAll(async () => {
  const port = await freePort();
  const config = loadConfig({ PORT: String(port) });
  origin = config.origin;
  const { app } = createServerApp({ config, capture: { enabled: false } });
  ({ close } = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port }));
  dir = mkdtempSync(join(tmpdir(), 'codegen-'));
  // The snippets import pandadoc-node-client as a user's project would: from node_modules.
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
});

afterAll(async () => {
  await close?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newCode(): Promise<string> {
  const query = new URLSearchParams({
    client_id: DEFAULT_SIM_CLIENT_ID,
    redirect_uri: `${origin}/callback`,
    scope: 'read+write',
    response_type: 'code',
    state: 's',
  });
  const page = await fetch(`${origin}/sim/oauth2/authorize?${query}`);
  const answer = await fetch(`${origin}/sim/oauth2/authorize`, {
    method: 'POST',
    body: consentForm(await page.text()),
    redirect: 'manual',
  });
  return new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

/** The app's own call, as the browser makes it through /api. */
async function appCall(path: string, body: unknown): Promise<UpstreamExchange> {
  const res = await fetch(`${origin}/api/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as TokenCallResult;
}

const exchangeFields = (code: string) => [
  ['grant_type', 'authorization_code'],
  ['client_id', DEFAULT_SIM_CLIENT_ID],
  ['code', code],
];

let n = 0;
/** Runs a snippet as a user would, with the given variables exported; returns what it printed. */
async function runSnippet(source: string, vars: Record<string, string>) {
  const file = join(dir, `snippet-${++n}.ts`);
  writeFileSync(file, source);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...vars },
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim()) as { status: number; body: Record<string, unknown> };
}

const SECRET = { [ENV.clientSecret]: DEFAULT_SIM_CLIENT_SECRET };
const HEX40 = /^[0-9a-f]{40}$/;

describe('Show as code, run against the simulator', () => {
  it('the exchange: SDK and fetch get a token pair like the app did, and the same refusal', async () => {
    const appExchange = await appCall('token', {
      environment: 'simulator',
      fields: exchangeFields(await newCode()),
    });
    const app = JSON.parse(appExchange.response!.body) as Record<string, unknown>;
    const code = snippetsFor(appExchange);
    expect(code.sdk).toContain(
      `new ServerConfiguration<Record<string, string>>(process.env.${ENV.baseUrl} ?? '${origin}/sim', {})`,
    );

    const sdk = await runSnippet(code.sdk!, { ...SECRET, [ENV.code]: await newCode() });
    expect(sdk.status).toBe(200);
    expect(sdk.body).toMatchObject({
      tokenType: 'Bearer',
      scope: app.scope,
      expiresIn: app.expires_in,
    });
    expect(sdk.body.accessToken).toMatch(HEX40);

    const viaFetch = await runSnippet(code.fetch!, { ...SECRET, [ENV.code]: await newCode() });
    expect(viaFetch.status).toBe(200);
    expect(Object.keys(viaFetch.body).sort()).toEqual(Object.keys(app).sort());
    expect(viaFetch.body.scope).toBe(app.scope);

    // The code the app already used: both get the refusal the app would get.
    const used = new URLSearchParams(appExchange.request.body ?? '').get('code')!;
    const again = await appCall('token', {
      environment: 'simulator',
      fields: exchangeFields(used),
    });
    for (const source of [code.sdk, code.fetch]) {
      const out = await runSnippet(source!, { ...SECRET, [ENV.code]: used });
      expect(out).toEqual({
        status: again.response!.status,
        body: JSON.parse(again.response!.body),
      });
    }
  }, 60_000);

  it('the refresh and members/current: the SDK and fetch get the same member as the app', async () => {
    const pair = (code: string) =>
      appCall('token', { environment: 'simulator', fields: exchangeFields(code) }).then(
        (c) => JSON.parse(c.response!.body) as { access_token: string; refresh_token: string },
      );
    const first = await pair(await newCode());
    const appRefresh = await appCall('token', {
      environment: 'simulator',
      fields: [
        ['grant_type', 'refresh_token'],
        ['client_id', DEFAULT_SIM_CLIENT_ID],
        ['refresh_token', first.refresh_token],
      ],
    });
    expect(appRefresh.response?.status).toBe(200);
    const refresh = snippetsFor(appRefresh);
    expect(refresh.sdk).toContain("grantType: 'refresh_token'");
    const other = await pair(await newCode());
    const sdk = await runSnippet(refresh.sdk!, {
      ...SECRET,
      [ENV.refreshToken]: other.refresh_token,
    });
    expect(sdk.status).toBe(200);
    expect(sdk.body.refreshToken).toMatch(HEX40);
    expect(sdk.body.refreshToken).not.toBe(other.refresh_token);

    const latest = await pair(await newCode());
    const appMember = await appCall('members/current', {
      environment: 'simulator',
      accessToken: latest.access_token,
    });
    const app = JSON.parse(appMember.response!.body) as Record<string, unknown>;
    const member = snippetsFor(appMember);
    const vars = { [ENV.accessToken]: latest.access_token };
    const bySdk = await runSnippet(member.sdk!, vars);
    expect(bySdk.status).toBe(200);
    expect(bySdk.body).toMatchObject({ userId: app.user_id, email: app.email });
    const byFetch = await runSnippet(member.fetch!, vars);
    expect(byFetch).toEqual({ status: 200, body: app });
  }, 60_000);
});

describe('Show as code, as text', () => {
  const call: UpstreamExchange = {
    startedAt: 0,
    durationMs: 1,
    request: {
      method: 'POST',
      url: 'https://api.pandadoc.eu/oauth2/access_token',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'grant_type=refresh_token&client_id=app-1&client_secret=s3cr3t-value-123&refresh_token=4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a&scope=read+write',
    },
    response: null,
    failure: null,
  };

  it('never writes a secret into any snippet, and names the variables to set', () => {
    const all = snippetsFor(call);
    for (const text of [all.sdk!, all.fetch!, all.curl]) {
      expect(text).not.toContain('s3cr3t-value-123');
      expect(text).not.toContain('4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a');
    }
    expect(all.sdk).toContain(`clientSecret: env('${ENV.clientSecret}')`);
    expect(all.sdk).toContain(`refreshToken: env('${ENV.refreshToken}')`);
    expect(all.sdk).toContain("'https://api.pandadoc.eu'");
    expect(all.sdk).toContain("scope: 'read write'");
    expect(all.curl).toContain('$REFRESH_TOKEN');
  });

  it('points at another base URL when asked (the debugger, for a captured call)', () => {
    const all = snippetsFor(call, { baseUrl: 'http://127.0.0.1:5173/eu' });
    expect(all.fetch).toContain("?? 'http://127.0.0.1:5173/eu'");
    expect(all.curl).toContain("'http://127.0.0.1:5173/eu/oauth2/access_token'");
  });

  it('has no SDK snippet for an API path it does not map, but fetch and curl', () => {
    const doc = snippetsFor({
      ...call,
      request: {
        method: 'GET',
        url: 'https://api.pandadoc.com/public/v1/documents?count=5',
        headers: [],
        body: null,
      },
    });
    expect(doc.sdk).toBeNull();
    expect(doc.fetch).toContain('`${baseUrl}/public/v1/documents?count=5`');
  });
});

describe('Show as code for a mistaken token call', () => {
  it('curl sends the fields as a form, secrets as $VARIABLES, whatever the client sent', () => {
    const base = {
      startedAt: 0,
      durationMs: 1,
      response: null,
      failure: null,
    };
    const json = snippetsFor({
      ...base,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:5173/sim/oauth2/access_token',
        headers: [['Content-Type', 'application/json']],
        body: '{"grant_type":"authorization_code","client_id":"app","client_secret":"s3cr3t-value-123","code":"c0de-c0de-c0de"}',
      },
    });
    const query = snippetsFor({
      ...base,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:5173/sim/oauth2/access_token?grant_type=authorization_code&client_id=app&client_secret=s3cr3t-value-123&code=c0de-c0de-c0de',
        headers: [],
        body: null,
      },
    });
    for (const { curl } of [json, query]) {
      expect(curl).not.toContain('s3cr3t-value-123');
      expect(curl).not.toContain('c0de-c0de-c0de');
      expect(curl).toContain("'http://127.0.0.1:5173/sim/oauth2/access_token'");
      expect(curl).toContain("-H 'Content-Type: application/x-www-form-urlencoded'");
      expect(curl).toContain('--data-urlencode "client_secret=$CLIENT_SECRET"');
      expect(curl).toContain('--data-urlencode "code=$CODE"');
    }
  });
});
