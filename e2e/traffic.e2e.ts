import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type APIRequestContext, expect, test } from '@playwright/test';
import {
  createConfiguration,
  MembersApi,
  OAuth20AuthenticationApi,
  type RequestContext,
  ServerConfiguration,
} from 'pandadoc-node-client';
import { AT_ONCE_MS } from '../src/lib/triage/rules/wire.ts';
import {
  consentRedirect,
  fingerprintOf,
  openTraffic,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
} from './helpers.ts';

/**
 * The Traffic section, watched while real clients (the official SDK, curl, a fetch script) send a
 * flow through the pass-through. The server is shared by parallel tests: every call here carries a
 * User-Agent with this test's own mark, and rows are found by it.
 */

const run = promisify(execFile);
/** A call's row must be on screen this soon after the client got its answer. */
const LIVE_MS = 1000;

/** A fresh code from the simulator's consent screen (answered without the app). */
async function newCode(request: APIRequestContext, baseURL: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: SIM_CLIENT_ID,
    redirect_uri: `${baseURL}/callback`,
    scope: 'read+write',
    response_type: 'code',
    state: 'traffic',
  });
  const location = await consentRedirect(request, `${baseURL}/sim/oauth2/authorize?${query}`);
  return new URL(location).searchParams.get('code') ?? '';
}

/** The official SDK with its own User-Agent plus this test's mark. */
function sdk(baseURL: string, mark: string, accessToken?: string) {
  return createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(baseURL, {}),
    authMethods: accessToken ? { oauth2: { accessToken } } : {},
    promiseMiddleware: [
      {
        pre: async (context: RequestContext) => {
          context.setHeaderParam('User-Agent', `pandadoc_node_client/6.2.0 ${mark}`);
          return context;
        },
        post: async (context) => context,
      },
    ],
  });
}

const form = (fields: Record<string, string>) =>
  new URLSearchParams({ client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, ...fields });

test('the SDK, curl and a fetch script: each call appears live, decoded and diagnosed', async ({
  page,
  request,
  baseURL,
}) => {
  const { mark, rows } = await openTraffic(page);

  // 1. The official SDK: exchange, members/current, refresh.
  const code = await newCode(request, baseURL!);
  const oauth = new OAuth20AuthenticationApi(sdk(baseURL!, mark));
  const tokens = await oauth.accessToken({
    grantType: 'authorization_code',
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    code,
  });
  await expect(rows).toHaveCount(1, { timeout: LIVE_MS });
  // Newest first: the exchange stays the last of this test's rows.
  const exchange = rows.last();
  await expect(exchange).toContainText('POST /oauth2/access_token');
  await expect(exchange).toContainText('200: a token pair');
  await expect(exchange).toContainText('pandadoc-node-client 6.2.0');

  await new MembersApi(sdk(baseURL!, mark, tokens.accessToken)).detailsCurrentMember();
  await expect(rows).toHaveCount(2, { timeout: LIVE_MS });
  await expect(rows.first()).toContainText('200: the member');

  const refreshed = await oauth.accessToken({
    grantType: 'refresh_token',
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    refreshToken: tokens.refreshToken,
  });
  await expect(rows).toHaveCount(3, { timeout: LIVE_MS });

  // 2. curl, with the access token the refresh replaced: 401, and the triage says why.
  await run('curl', [
    '-sS',
    '-A',
    `curl/8.0 ${mark}`,
    '-H',
    `Authorization: Bearer ${tokens.accessToken}`,
    `${baseURL}/public/v1/members/current`,
  ]);
  await expect(rows).toHaveCount(4, { timeout: LIVE_MS });
  const stale = rows.first();
  await expect(stale).toContainText('curl 8.0');
  await expect(stale).toContainText('401');
  await expect(stale).toHaveAttribute('data-rule', 'api_unauthorized');
  await expect(stale).toContainText('This access token was replaced by a refresh');

  // 3. A fetch script (Node 18+), refreshing with the newest refresh token.
  const dir = mkdtempSync(join(tmpdir(), 'traffic-e2e-'));
  const script = join(dir, 'refresh.mjs');
  writeFileSync(
    script,
    `const res = await fetch(process.env.BASE + '/oauth2/access_token', {
  method: 'POST',
  headers: { 'User-Agent': 'node ${mark}' },
  body: new URLSearchParams(JSON.parse(process.env.FIELDS)),
});
console.log(res.status);`,
  );
  const fields = Object.fromEntries(
    form({ grant_type: 'refresh_token', refresh_token: refreshed.refreshToken! }),
  );
  const { stdout } = await run(process.execPath, [script], {
    env: { PATH: process.env.PATH, BASE: baseURL!, FIELDS: JSON.stringify(fields) },
  });
  expect(stdout.trim()).toBe('200');
  await expect(rows).toHaveCount(5, { timeout: LIVE_MS });
  await expect(rows.first()).toContainText('node');

  // The inspector: decoded form fields, secrets by fingerprint only, and the code for the step.
  await exchange.getByRole('button').click();
  const inspector = page.locator('#traffic-inspector');
  await expect(page.locator('#traffic-inspector-title')).toContainText('POST /oauth2/access_token');
  await expect(inspector.getByTestId('traffic-prints')).toContainText(
    `code ${fingerprintOf(code)}`,
  );
  await expect(inspector).not.toContainText(code);
  await expect(inspector.getByRole('rowheader', { name: 'grant_type' })).toBeVisible();
  await inspector.getByText('Show as code').click();
  await expect(inspector.getByRole('tab', { name: 'TypeScript (SDK)' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const snippet = inspector.getByTestId('traffic-call-code-sdk');
  await expect(snippet).toContainText('new OAuth20AuthenticationApi(config).accessToken({');
  await expect(snippet).toContainText("clientSecret: env('PANDADOC_CLIENT_SECRET')");
  await expect(snippet).not.toContainText(SIM_CLIENT_SECRET);
  // Keyboard: the arrow keys move between the tabs.
  await inspector.getByRole('tab', { name: 'TypeScript (SDK)' }).press('ArrowRight');
  await expect(inspector.getByRole('tab', { name: 'fetch (Node 18+)' })).toBeFocused();
  await expect(inspector.getByTestId('traffic-call-code-fetch')).toContainText(
    "grant_type: 'authorization_code',",
  );
  // Export: a HAR of the capture with every secret replaced by its fingerprint.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#traffic').getByRole('button', { name: 'Export HAR (sanitized)' }).click(),
  ]);
  const har = readFileSync((await download.path())!, 'utf8');
  const entries = (JSON.parse(har) as { log: { entries: unknown[] } }).log.entries;
  expect(entries.length).toBeGreaterThanOrEqual(5);
  for (const secret of [code, tokens.accessToken, tokens.refreshToken, SIM_CLIENT_SECRET])
    expect(har).not.toContain(secret);
  expect(har).toContain(fingerprintOf(code));
  await expect(page.getByTestId('traffic-export')).toContainText('replaced by fingerprints');
});

test('a mistaken client: JSON body, a code sent twice, two racing refreshes', async ({
  page,
  request,
  baseURL,
}) => {
  const { mark, rows } = await openTraffic(page);
  const traffic = page.locator('#traffic');
  const post = (body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(`${baseURL}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': type, 'User-Agent': `python-requests/2.31.0 ${mark}` },
      body,
    });

  // The token request as JSON.
  const code = await newCode(request, baseURL!);
  const json = await post(
    JSON.stringify(Object.fromEntries(form({ grant_type: 'authorization_code', code }))),
    'application/json',
  );
  expect(json.status).toBe(400);
  await expect(rows).toHaveCount(1, { timeout: LIVE_MS });
  await expect(rows.first()).toHaveAttribute('data-rule', 'json_body');
  await expect(rows.first()).toContainText('The token request must be a form, not JSON');

  // The same code twice (the JSON attempt did not spend it: PandaDoc never read it).
  const first = await post(form({ grant_type: 'authorization_code', code }).toString());
  expect(first.status).toBe(200);
  const pair = (await first.json()) as { refresh_token: string };
  const second = await post(form({ grant_type: 'authorization_code', code }).toString());
  expect(second.status).toBe(400);
  await expect(rows).toHaveCount(3, { timeout: LIVE_MS });
  await expect(rows.first()).toHaveAttribute('data-rule', 'code_reused');
  await expect(rows.first()).toContainText('This code was exchanged twice');
  // Its advice: keep the first exchange's pair, which nothing in the recording has refreshed.
  await rows.first().getByRole('button').click();
  const diagnosis = page.getByTestId('traffic-diagnosis');
  await expect(diagnosis).toContainText('Nothing in this recording refreshed the pair');

  // Later (not at once with that exchange), two workers refresh that pair's refresh token at
  // once: one wins, one loses.
  await page.waitForTimeout(2 * AT_ONCE_MS);
  const refresh = form({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
  const answers = await Promise.all([post(refresh.toString()), post(refresh.toString())]);
  expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  await expect(rows).toHaveCount(5, { timeout: LIVE_MS });
  const loser = rows.filter({ hasText: 'invalid_grant' }).first();
  await expect(loser).toHaveAttribute('data-rule', 'refresh_race');
  await expect(loser).toContainText('Two callers refreshed with the same refresh token at once');
  // The winner replaced the pair that exchange's advice was about: the advice, still open in the
  // inspector, now names it (a row a newer call changes is triaged again).
  await expect(diagnosis).toContainText('The pair from the first exchange was replaced by call');
  await expect(diagnosis).not.toContainText('Nothing in this recording refreshed the pair');

  // The inspector explains it, and Pause holds new calls back until Resume.
  await loser.getByRole('button').click();
  await expect(diagnosis).toContainText('refreshed with the same');
  await traffic.getByRole('button', { name: 'Pause' }).click();
  await post(form({ grant_type: 'refresh_token', refresh_token: 'unknown' }).toString());
  await expect(traffic.getByRole('button', { name: /Resume \(\d+ new\)/ })).toBeVisible();
  await expect(rows).toHaveCount(5);
  await traffic.getByRole('button', { name: /Resume/ }).click();
  await expect(rows).toHaveCount(6);

  // Filters: status and client.
  await traffic.getByRole('combobox', { name: 'Status' }).selectOption('2xx');
  await expect(rows).toHaveCount(2);
  await traffic.getByRole('combobox', { name: 'Status' }).selectOption('all');
  await traffic.getByRole('combobox', { name: 'Client' }).selectOption('python');
  await expect(rows).toHaveCount(6);
});

test('a client repeating one call: every call its own row, whole, however the stream sends it', async ({
  page,
  request,
  baseURL,
}) => {
  const { mark, rows } = await openTraffic(page);
  const token = (await (
    await fetch(`${baseURL}/oauth2/access_token`, {
      method: 'POST',
      body: form({ grant_type: 'authorization_code', code: await newCode(request, baseURL!) }),
    })
  ).json()) as { access_token: string };
  // 40 like calls at once: the stream sends most of them as their seq and times alone.
  const member = () =>
    fetch(`${baseURL}/public/v1/members/current`, {
      headers: {
        Authorization: `Bearer ${token.access_token}`,
        'User-Agent': `curl/8.5.0 ${mark}`,
      },
    }).then((res) => res.status);
  expect(new Set(await Promise.all(Array.from({ length: 40 }, member)))).toEqual(new Set([200]));
  await expect(rows).toHaveCount(40, { timeout: LIVE_MS });
  const seqs = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-seq'))))
    .map(Number)
    .sort((a, b) => a - b);
  expect(new Set(seqs).size).toBe(40);
  // Each one whole: the client, the answer and its diagnosis, the decoded member in the inspector.
  for (const row of [rows.first(), rows.nth(20), rows.last()]) {
    await expect(row).toContainText('GET /public/v1/members/current');
    await expect(row).toContainText('200: the member');
    await expect(row).toContainText('curl 8.5.0');
  }
  await rows.nth(20).getByRole('button').click();
  await expect(page.locator('#traffic-inspector')).toContainText('demo@example.com');
});

test('a call the debugger refuses itself: shown as its own answer, never PandaDoc’s', async ({
  page,
  baseURL,
}) => {
  const { mark, rows } = await openTraffic(page);
  // A token request far bigger than any form PandaDoc reads (the debugger allows 64 KiB).
  const body = `grant_type=authorization_code&code=abc&pad=${'x'.repeat(70 * 1024)}`;
  const res = await fetch(`${baseURL}/oauth2/access_token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': `python-requests/2.31.0 ${mark}`,
    },
    body,
  });
  expect(res.status).toBe(413);
  expect(((await res.json()) as { error_description: string }).error_description).toMatch(
    /^PandaDoc debugger proxy: /,
  );
  await expect(rows).toHaveCount(1, { timeout: LIVE_MS });
  const row = rows.first();
  await expect(row).toContainText('POST /oauth2/access_token');
  await expect(row).toContainText('413: refused by the debugger, not sent on');
  await expect(row).toHaveAttribute('data-rule', 'debugger_refused');
  await expect(row).toContainText('Refused by the debugger: never sent to the simulator');

  await row.getByRole('button').click();
  const inspector = page.locator('#traffic-inspector');
  await expect(inspector.getByTestId('traffic-refused')).toContainText(
    'this debugger, not the simulator: it never sent the call on',
  );
  await expect(page.getByTestId('traffic-diagnosis')).toContainText(
    `The body announced ${body.length.toLocaleString('en-US')} bytes (Content-Length)`,
  );
  await expect(inspector).toContainText('The debugger refused the body unread');
  await expect(page.getByTestId('traffic-diagnosis')).toContainText('no code was used');
  await expect(page.getByTestId('traffic-diagnosis')).toContainText('(the debugger allows 64 KiB)');
});

test('a client pointed at https:// on the plain-HTTP port: shown, with what to change', async ({
  page,
  baseURL,
}) => {
  await openTraffic(page);
  const url = `${baseURL!.replace(/^http:/, 'https:')}/public/v1/members/current`;
  const error = await new Promise<Error>((resolve) =>
    https.get(url, { rejectUnauthorized: false }).on('error', resolve),
  );
  // What the developer's client says: a TLS error, not an HTTP one.
  expect(error.message).toMatch(/wrong version number|EPROTO|packet length/i);
  const row = page
    .getByTestId('traffic-table')
    .locator('tbody tr')
    .filter({ hasText: '(a TLS handshake)' })
    .first();
  await expect(row).toContainText('400: refused by the debugger, not sent on', {
    timeout: LIVE_MS,
  });
  await row.getByRole('button').click();
  await expect(page.getByTestId('traffic-what')).toContainText(
    'TLS handshake (an https:// call, not read)',
  );
  // Nothing of the request was readable: no made-up request to copy or turn into code.
  const inspector = page.locator('#traffic-inspector');
  await expect(inspector.getByTestId('traffic-handshake')).toContainText(
    'The debugger answered 400 Bad Request and closed the connection.',
  );
  await expect(inspector.getByRole('button', { name: /Copy as curl/ })).toHaveCount(0);
  await expect(inspector.getByText('Show as code')).toHaveCount(0);
  const diagnosis = page.getByTestId('traffic-diagnosis');
  await expect(diagnosis).toContainText('A TLS handshake arrived on this plain-HTTP port');
  await expect(diagnosis).toContainText('Use http:// in the base URL your code gives the debugger');
});

test('at 390 px the Traffic section does not scroll sideways', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { mark, rows } = await openTraffic(page);
  // A long path with an id in it, and a refused call (the longest diagnosis).
  const id = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4';
  await fetch(`${baseURL}/public/v1/documents/${id}/fields/recipients/${id}?x=1`, {
    headers: { 'User-Agent': `pandadoc_node_client/6.2.0 ${mark}` },
  });
  await fetch(`${baseURL}/eu/oauth2/token`, {
    method: 'POST',
    headers: { 'User-Agent': `curl/8.5.0 ${mark}` },
  });
  await expect(rows).toHaveCount(2, { timeout: LIVE_MS });
  const overflow = () =>
    page.evaluate(() => {
      const root = document.documentElement;
      const wrap = document.querySelector('#traffic .table-wrap')!;
      return {
        page: root.scrollWidth - root.clientWidth,
        table: wrap.scrollWidth - wrap.clientWidth,
      };
    });
  expect(await overflow()).toEqual({ page: 0, table: 0 });
  // The inspector open (request, response, Show as code) does not widen the page either.
  await rows.last().getByRole('button').click();
  await page.locator('#traffic-inspector').getByText('Show as code').click();
  expect((await overflow()).page).toBe(0);
});

test('the event stream refuses a cross-site page', async ({ request, baseURL }) => {
  const res = await request.get(`${baseURL}/api/traffic/events`, {
    headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
  });
  expect(res.status()).toBe(403);
});

test.describe('access', () => {
  // axe is injected as an inline script: only these tests bypass the page's CSP.
  test.use({ bypassCSP: true });

  for (const scheme of ['light', 'dark'] as const) {
    test(`axe finds nothing serious in Traffic, rows and inspector open (${scheme})`, async ({
      page,
      baseURL,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const { mark, rows } = await openTraffic(page);
      // A failed call, so a diagnosis shows in the row and in the inspector.
      await fetch(`${baseURL}/public/v1/members/current`, {
        headers: { Authorization: 'Bearer "not-a-token"', 'User-Agent': `curl/8.0 ${mark}` },
      });
      const row = rows.first();
      await expect(row).toHaveAttribute('data-rule', 'bearer_malformed');
      await row.getByRole('button').click();
      await page.locator('#traffic-inspector').getByText('Show as code').click();
      await page.addScriptTag({
        path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
      });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                c: Element,
                o: object,
              ) => Promise<{
                violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
              }>;
            };
          }
        ).axe;
        const result = await axe.run(document.getElementById('traffic')!, {
          resultTypes: ['violations'],
        });
        return result.violations;
      });
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        serious.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`),
      ).toEqual([]);
    });
  }
});
