import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import {
  COUNT_HISTORY_READS,
  historyReads,
  authorizeOnSimulator,
  buildAuthorizeUrl,
  exchangeCode,
  expectCodeCapturedWithState,
  fingerprintOf,
  openDebugger,
  revealField,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  step,
  revealCode,
  useThenRefresh,
} from './helpers.ts';

/** The support report: everything a ticket needs, and not one secret, code or token. */

const TYPED_SECRET = 'typed-wrong-secret-7Qx9Lm2Pz';

async function downloadText(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    step(page, 'Support report').getByRole('button', { name: button }).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

async function readsOf(page: Page, which: RegExp): Promise<number> {
  const reads = await historyReads(page);
  return Object.entries(reads)
    .filter(([k]) => which.test(k))
    .reduce((sum, [, times]) => sum + times, 0);
}

interface ReportJsonShape {
  format: string;
  profile: { name: string; clientId: string; redirectUri: string; scope: string };
  environment: { id: string };
  steps: {
    kind: string;
    outcome: string;
    status: number | null;
    errorCode: string | null;
    fingerprints: Record<string, string>;
  }[];
  calls: { name: string; secretSource: string | null }[];
  diagnoses: { rule: string; title: string }[];
  tokens: { accessToken: string; refreshToken: string | null } | null;
}

test('the support report carries the session and diagnosis, and no secret at all', async ({
  page,
  baseURL,
}) => {
  // Authorize: the state sent is a secret of this browser too.
  await page.addInitScript(COUNT_HISTORY_READS);
  await openDebugger(page);
  const firstUrl = await buildAuthorizeUrl(page);
  const firstState = new URL(firstUrl).searchParams.get('state')!;
  await page.getByRole('link', { name: 'Open here' }).click();
  await authorizeOnSimulator(page);
  await expectCodeCapturedWithState(page);
  const code = await revealCode(page);

  // Exchange, use, refresh: two pairs of tokens.
  await exchangeCode(page);
  const fields = page.getByTestId('token-fields');
  const access = await revealField(fields, 'access_token');
  const refresh = await revealField(fields, 'refresh_token');
  await useThenRefresh(page);
  const newAccess = await revealField(fields, 'access_token');
  const newRefresh = await revealField(fields, 'refresh_token');

  // Two failures: the used code sent again, then a refresh with a wrong secret typed in.
  await page.getByRole('button', { name: 'Send the used code again' }).click();
  await expect(page.getByTestId('exchange-error')).toHaveAttribute('data-rule', 'code_reused');
  const reusedTitle = (await page.getByTestId('exchange-error').locator('strong').textContent())!;
  const secret = step(page, 'Profile').getByLabel('client_secret');
  await secret.fill(TYPED_SECRET);
  await secret.blur();
  await page.getByRole('button', { name: 'Refresh tokens' }).click();
  await expect(page.getByTestId('refresh-call-status')).toHaveText('400 Bad Request');
  await expect(page.getByTestId('refresh-error')).toHaveAttribute('data-rule', 'wrong_secret');
  const secretTitle = (await page.getByTestId('refresh-error').locator('strong').textContent())!;

  // A new authorization waiting for its redirect: its state and PKCE verifier are held too.
  const pendingUrl = await buildAuthorizeUrl(page);
  const pendingState = new URL(pendingUrl).searchParams.get('state')!;
  await step(page, 'Authorize').getByText('PKCE code_verifier (kept in this browser)').click();
  const verifier = (await step(page, 'Authorize').locator('details code').textContent())!;
  expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);

  const secrets = {
    code,
    access,
    refresh,
    newAccess,
    newRefresh,
    typed: TYPED_SECRET,
    simulator: SIM_CLIENT_SECRET,
    firstState,
    pendingState,
    verifier,
  };
  for (const value of Object.values(secrets)) expect(value.length).toBeGreaterThanOrEqual(20);

  const [pages, tallies] = [await readsOf(page, /:\d+$/), await readsOf(page, /:tally$/)];
  await step(page, 'Support report').getByRole('button', { name: 'Build report' }).click();
  const preview = page.getByTestId('report-preview');
  await expect(preview).toContainText('# PandaDoc OAuth support report: Simulator demo');
  // The tally kept as the steps were recorded is what the report read: no page of the history.
  expect(await readsOf(page, /:tally$/)).toBe(tallies + 1);
  expect(await readsOf(page, /:\d+$/)).toBe(pages);

  const md = await downloadText(page, 'Download Markdown');
  expect(md.name).toMatch(/^pandadoc-oauth-report-\d{4}-\d\d-\d\dT\d{6}\.md$/);
  const json = await downloadText(page, 'Download JSON');
  expect(json.name).toMatch(/^pandadoc-oauth-report-\d{4}-\d\d-\d\dT\d{6}\.json$/);
  expect(md.text).toBe(await preview.textContent());

  // What the ticket needs.
  const markdown = md.text;
  expect(markdown).toContain('# PandaDoc OAuth support report: Simulator demo');
  expect(markdown).toContain('| Profile | Simulator demo |');
  expect(markdown).toContain(`| client_id | ${SIM_CLIENT_ID} |`);
  expect(markdown).toContain(`| redirect_uri | ${baseURL}/callback |`);
  expect(markdown).toContain(`| Token endpoint | ${baseURL}/sim/oauth2/access_token |`);
  expect(markdown).toContain(
    '| # | Time (UTC) | Step | Outcome | Status | Error | Duration | Fingerprints | Note |',
  );
  expect(markdown).toContain(`### Error: ${reusedTitle}`);
  expect(markdown).toContain(`### Error: ${secretTitle}`);
  expect(markdown).toContain('Rule `code_reused`.');
  expect(markdown).toContain('Rule `wrong_secret`.');
  const stepRows = markdown.split('\n').filter((l) => /^\| \d+ \| \d\d:\d\d:\d\d \|/.test(l));
  expect(stepRows.map((l) => l.split(' | ').slice(2, 6).join(' '))).toEqual([
    'authorize ok — —',
    'callback ok — —',
    'exchange ok 200 —',
    'verify ok 200 —',
    'refresh ok 200 —',
    // The app's own checks that the replaced pair died: verifications, not failures.
    'verify confirmed dead 401 authentication_error',
    'refresh confirmed dead 400 invalid_grant',
    'exchange failed 400 invalid_grant',
    'refresh failed 400 invalid_client',
    'authorize ok — —',
  ]);
  expect(markdown).toContain(
    `code ${fingerprintOf(code)}, newAccessToken ${fingerprintOf(access)}, newRefreshToken ${fingerprintOf(refresh)}`,
  );
  expect(markdown).toContain(
    `refreshToken ${fingerprintOf(refresh)}, newAccessToken ${fingerprintOf(newAccess)}, newRefreshToken ${fingerprintOf(newRefresh)}`,
  );
  expect(markdown).toContain(`| access_token | [${fingerprintOf(newAccess)}] |`);
  expect(markdown).toContain(`| refresh_token | [${fingerprintOf(newRefresh)}] |`);
  expect(markdown).toContain('client_secret: typed in the browser (never included here).');

  const report = JSON.parse(json.text) as ReportJsonShape;
  expect(report.format).toBe('pandadoc-oauth-debugger/report@1');
  expect(report.profile).toEqual({
    name: 'Simulator demo',
    clientId: SIM_CLIENT_ID,
    redirectUri: `${baseURL}/callback`,
    scope: 'read+write',
  });
  expect(report.environment.id).toBe('simulator');
  expect(report.steps.map((s) => `${s.kind} ${s.outcome} ${s.status ?? '-'}`)).toEqual([
    'authorize ok -',
    'callback ok -',
    'exchange ok 200',
    'verify ok 200',
    'refresh ok 200',
    'verify error 401',
    'refresh error 400',
    'exchange error 400',
    'refresh error 400',
    'authorize ok -',
  ]);
  expect(report.steps[2]!.fingerprints).toEqual({
    code: fingerprintOf(code),
    newAccessToken: fingerprintOf(access),
    newRefreshToken: fingerprintOf(refresh),
  });
  expect(report.diagnoses.map((d) => [d.rule, d.title])).toEqual([
    ['code_reused', reusedTitle],
    ['wrong_secret', secretTitle],
  ]);
  // The member result belonged to the old token, so a refresh clears it: no verify call.
  expect(report.calls.map((c) => [c.name, c.secretSource])).toEqual([
    ['exchange', 'server'],
    ['refresh', 'browser'],
  ]);
  expect(report.tokens?.accessToken).toBe(`[${fingerprintOf(newAccess)}]`);

  // And none of the secrets, in either file or on screen in the preview.
  const previewText = (await preview.textContent()) ?? '';
  for (const [name, value] of Object.entries(secrets)) {
    expect(markdown, `${name} in the Markdown`).not.toContain(value);
    expect(json.text, `${name} in the JSON`).not.toContain(value);
    expect(previewText, `${name} in the preview`).not.toContain(value);
  }

  // Nothing in web storage but the typed secret, sealed, for this tab; nothing in the address bar.
  const webStorage = await page.evaluate(() => ({
    local: localStorage.length,
    session: Object.keys(sessionStorage),
    text: JSON.stringify({ ...sessionStorage }),
  }));
  expect(webStorage.local).toBe(0);
  for (const key of webStorage.session) expect(key).toMatch(/^pandadoc-oauth-debugger:secret:/);
  for (const value of Object.values(secrets)) expect(webStorage.text).not.toContain(value);
  expect(page.url()).toBe(`${baseURL}/`);
  for (const value of Object.values(secrets)) expect(page.url()).not.toContain(value);
});
