import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../server/simulator/app.ts';
import { SimulatorCore } from '../server/simulator/state.ts';
import { REDACTED, type RecordedRequest } from './api/wire.ts';
import { shellQuote, toCurl } from './curl.ts';

// Async on purpose: the simulator listens in this same process, so a sync exec would deadlock it.
const run = promisify(execFile);
const bash = (cmd: string, env: Record<string, string> = {}) =>
  run('bash', ['-c', cmd], { env: { PATH: '/usr/bin:/bin', ...env }, timeout: 10_000 });

const CLIENT = {
  clientId: 'curl-client',
  clientSecret: 's3cr\'et $HOME `x` "q"',
  redirectUri: 'http://127.0.0.1:5173/callback',
};
let core: SimulatorCore;
let server: ServerType;
let base = '';

beforeAll(async () => {
  core = new SimulatorCore(CLIENT);
  const root = new Hono();
  root.route('/sim', createSimulator(core));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: root.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sim`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function issueCode(): string {
  const result = core.decide(
    new URLSearchParams({ client_id: CLIENT.clientId, response_type: 'code', scope: 'read+write' }),
    true,
  );
  if (result.kind !== 'redirect') throw new Error('no redirect');
  return new URL(result.location).searchParams.get('code') ?? '';
}

/** What the local server records for a token call: client_secret already redacted. */
function recordedTokenCall(fields: Record<string, string>): RecordedRequest {
  return {
    method: 'POST',
    url: `${base}/oauth2/access_token`,
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Accept', 'application/json'],
    ],
    body: new URLSearchParams(fields).toString(),
  };
}

describe('shellQuote', () => {
  it('round-trips awkward text through bash', async () => {
    const text = `it's "quoted" $HOME \`cmd\` \\ ; | & *`;
    const { stdout } = await bash(`printf %s ${shellQuote(text)}`);
    expect(stdout).toBe(text);
  });
});

describe('toCurl', () => {
  it('replaces every secret with a variable and lists them in a comment', () => {
    const cmd = toCurl(
      recordedTokenCall({
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: REDACTED,
        code: 'c0de'.repeat(10),
        scope: "read+write it's",
      }),
    );
    expect(cmd).not.toContain('c0de');
    expect(cmd).not.toContain(REDACTED);
    expect(cmd).toContain(`--data-urlencode "client_secret=$CLIENT_SECRET"`);
    expect(cmd).toContain(`--data-urlencode "code=$CODE"`);
    expect(cmd).toContain(`--data-urlencode 'scope=read+write it'\\''s'`);
    expect(cmd).toContain(`-H 'Content-Type: application/x-www-form-urlencoded'`);
    expect(cmd.split('\n').filter((l) => l.startsWith('#   export '))).toEqual([
      "#   export CLIENT_SECRET='…'   # your app's client secret",
      "#   export CODE='…'   # a fresh authorization code (each code works once, for 10 minutes)",
    ]);
  });

  it('puts a Bearer token in $ACCESS_TOKEN and keeps GET implicit', () => {
    const cmd = toCurl(
      {
        method: 'GET',
        url: `${base}/public/v1/members/current`,
        headers: [['Authorization', 'Bearer 2ff2dfe36322448c6953616740a910be57bbd4ca']],
        body: null,
      },
      { multiline: false, comment: ['Verify sent at 10:31:05'] },
    );
    expect(cmd).toBe(
      [
        '# Verify sent at 10:31:05',
        '# Set these first; their values are not part of this command:',
        "#   export ACCESS_TOKEN='…'   # the access token",
        `curl -sS '${base}/public/v1/members/current' -H "Authorization: Bearer $ACCESS_TOKEN"`,
      ].join('\n'),
    );
  });

  it('sends a non-form body raw and warns about it', () => {
    const cmd = toCurl({
      method: 'POST',
      url: 'https://api.pandadoc.com/oauth2/access_token',
      headers: [['Content-Type', 'application/json']],
      body: '{"grant_type":"x"}',
    });
    expect(cmd).toContain(`--data-raw '{"grant_type":"x"}'`);
    expect(cmd).toMatch(/check it for secrets/);
  });

  it('exchanges a code when run with bash against the simulator', async () => {
    const code = issueCode();
    const cmd = toCurl(
      recordedTokenCall({
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: REDACTED,
        code,
        scope: 'read+write',
      }),
    );
    expect(cmd).not.toContain(code);
    const { stdout } = await bash(cmd, { CLIENT_SECRET: CLIENT.clientSecret, CODE: code });
    const body = JSON.parse(stdout) as Record<string, unknown>;
    expect(body.access_token).toMatch(/^[0-9a-f]{40}$/);
    expect(body.scope).toBe('read write read+write');

    // The refresh and the member call replay too.
    const refresh = toCurl(
      recordedTokenCall({
        grant_type: 'refresh_token',
        client_id: CLIENT.clientId,
        client_secret: REDACTED,
        refresh_token: String(body.refresh_token),
      }),
    );
    const refreshed = JSON.parse(
      (
        await bash(refresh, {
          CLIENT_SECRET: CLIENT.clientSecret,
          REFRESH_TOKEN: String(body.refresh_token),
        })
      ).stdout,
    ) as Record<string, unknown>;
    expect(refreshed.access_token).toMatch(/^[0-9a-f]{40}$/);

    const member = toCurl({
      method: 'GET',
      url: `${base}/public/v1/members/current`,
      headers: [
        ['Authorization', `Bearer ${String(refreshed.access_token)}`],
        ['Accept', 'application/json'],
      ],
      body: null,
    });
    const { stdout: me } = await bash(member, { ACCESS_TOKEN: String(refreshed.access_token) });
    expect(JSON.parse(me)).toMatchObject({ email: 'demo@example.com' });
  });

  it('without the variables set, the simulator refuses (nothing secret is baked in)', async () => {
    const code = issueCode();
    const cmd = toCurl(
      recordedTokenCall({
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: REDACTED,
        code,
      }),
    );
    const { stdout } = await bash(cmd, { CODE: code });
    expect(JSON.parse(stdout)).toEqual({ error: 'invalid_client' });
  });
});

/** A server that answers every request with what it received: method, URL, headers, body. */
async function withEcho(test: (origin: string) => Promise<void>): Promise<void> {
  const { createServer } = await import('node:http');
  const echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  try {
    await test(`http://127.0.0.1:${(echo.address() as AddressInfo).port}`);
  } finally {
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  }
}

interface Echoed {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe('toCurl reproduces a captured call exactly, secrets as variables', () => {
  const SECRET = 'sim-demo-secret-8a41c7e2b9';
  const CODE = '5f0a9d1c3b7e2a8f6d4c0b9a1e3f5d7c9b2a4e6f';

  it('the token request sent as JSON: its Content-Type and body byte for byte', async () => {
    // As a developer's Python code sends it (spacing, key order and an awkward note kept).
    const body = `{"grant_type": "authorization_code", "client_id": "c", "client_secret": "${SECRET}", "code": "${CODE}", "note": "it's \\"quoted\\" $HOME \`x\`", "nested": {"code": "inner"}}`;
    await withEcho(async (origin) => {
      const captured: RecordedRequest = {
        method: 'POST',
        url: `${origin}/oauth2/access_token`,
        // As the debugger captures a call it answered itself: framing headers included.
        headers: [
          ['host', '127.0.0.1:5173'],
          ['content-type', 'application/json'],
          ['user-agent', 'python-requests/2.31.0'],
          ['content-length', String(Buffer.byteLength(body))],
        ],
        body,
      };
      const cmd = toCurl(captured);
      expect(cmd).not.toContain(SECRET);
      expect(cmd).not.toContain(CODE);
      expect(cmd).toContain('"client_secret": "\'"$CLIENT_SECRET"\'"');
      expect(cmd).toMatch(/its secret fields as \$VARIABLES/);
      expect(cmd.split('\n').filter((l) => l.startsWith('#   export '))).toHaveLength(2);
      const { stdout } = await bash(cmd, { CLIENT_SECRET: SECRET, CODE });
      const got = JSON.parse(stdout) as Echoed;
      expect(got.method).toBe('POST');
      expect(got.url).toBe('/oauth2/access_token');
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['user-agent']).toBe('python-requests/2.31.0');
      expect(got.body).toBe(body);
    });
  });

  it('the token request sent as a query string: the URL as sent, its secrets as variables', async () => {
    await withEcho(async (origin) => {
      const url = `${origin}/oauth2/access_token?grant_type=refresh_token&refresh_token=r-${CODE}&client_secret=${SECRET}&client_id=c`;
      const cmd = toCurl({ method: 'POST', url, headers: [], body: null });
      expect(cmd).not.toContain(SECRET);
      expect(cmd).not.toContain(CODE);
      expect(cmd).toContain('-X POST');
      const env = { CLIENT_SECRET: SECRET, REFRESH_TOKEN: `r-${CODE}` };
      const got = JSON.parse((await bash(cmd, env)).stdout) as Echoed;
      expect([got.method, `${origin}${got.url}`, got.body]).toEqual(['POST', url, '']);
    });
  });

  it('names the method curl would not send by itself: PUT with a body, DELETE, HEAD', async () => {
    await withEcho(async (origin) => {
      const put = toCurl({
        method: 'PUT',
        url: `${origin}/public/v1/x`,
        headers: [['content-type', 'text/plain']],
        body: 'hello',
      });
      const got = JSON.parse((await bash(put)).stdout) as Echoed;
      expect([got.method, got.body]).toEqual(['PUT', 'hello']);
      const del = toCurl({
        method: 'DELETE',
        url: `${origin}/public/v1/x`,
        headers: [],
        body: null,
      });
      expect((JSON.parse((await bash(del)).stdout) as Echoed).method).toBe('DELETE');
      const head = toCurl({
        method: 'HEAD',
        url: `${origin}/public/v1/x`,
        headers: [],
        body: null,
      });
      expect(head).toContain(' -I');
      expect((await bash(head)).stdout).toMatch(/^HTTP\/1\.1 200/);
    });
  });
});
