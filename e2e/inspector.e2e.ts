import { execFileSync } from 'node:child_process';
import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  authorizeHere,
  buildAuthorizeUrl,
  consentRedirect,
  exchangeCode,
  HEX40,
  fingerprintOf,
  MASKED40,
  revealField,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  step,
  revealCode,
} from './helpers.ts';

/** The inspector: every call as it went over the wire, and a curl command that replays it. */

function formRow(call: Locator, name: string): Locator {
  return call.getByRole('row').filter({ has: call.page().getByRole('rowheader', { name }) });
}

/** Opens the call's "curl command" details and returns the command shown. */
async function curlOf(page: Page, testid: string): Promise<string> {
  const call = page.getByTestId(testid);
  await call.getByText('curl command (secrets as $VARIABLES)').click();
  const shown = page.getByTestId(`${testid}-curl`);
  await expect(shown).toBeVisible();
  await expect(shown).toContainText('curl -sS');
  return (await shown.textContent()) ?? '';
}

/** Runs a shell command the way a user pasting it would, with the given variables exported. */
function runInShell(command: string, vars: Record<string, string>): string {
  return execFileSync('bash', ['-c', command], {
    env: { ...process.env, ...vars },
    encoding: 'utf8',
    timeout: 15_000,
  });
}

test('the Exchange inspector shows the request as sent and the response as received', async ({
  page,
  baseURL,
}) => {
  await authorizeHere(page);
  const code = await revealCode(page);
  await exchangeCode(page);
  const access = await revealField(page.getByTestId('token-fields'), 'access_token');
  const refresh = await revealField(page.getByTestId('token-fields'), 'refresh_token');
  const call = page.getByTestId('exchange-call');

  // Request: method and upstream URL, headers, and the form field by field.
  await expect(call.getByText(/^POST http/)).toHaveText(`POST ${baseURL}/sim/oauth2/access_token`);
  await expect(
    call.getByText('Content-Type: application/x-www-form-urlencoded', { exact: true }),
  ).toBeVisible();
  await expect(call.getByRole('table')).toContainText(
    'Form body (application/x-www-form-urlencoded)',
  );
  await expect(formRow(call, 'grant_type')).toContainText('authorization_code');
  await expect(formRow(call, 'client_id')).toContainText(SIM_CLIENT_ID);
  const secretRow = formRow(call, 'client_secret');
  await expect(secretRow).toContainText('••••');
  await expect(secretRow).toContainText('held by the local server: the browser never sees it');
  await expect(secretRow.getByRole('button', { name: /^Reveal/ })).toHaveCount(0);
  const codeRow = formRow(call, 'code');
  const shownCode = codeRow.locator('code[data-revealed]');
  await expect(shownCode).toHaveText(MASKED40);
  await expect(shownCode).toHaveText(fingerprintOf(code));
  await codeRow.getByRole('button', { name: 'Reveal request code' }).click();
  await expect(shownCode).toHaveText(code);
  await codeRow.getByRole('button', { name: 'Hide request code' }).click();
  await expect(shownCode).toHaveText(MASKED40);
  await expect(call).not.toContainText(code);
  await expect(call).not.toContainText(SIM_CLIENT_SECRET);

  // Response: status line and time, headers, and a body with the tokens masked.
  await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  await expect(call.getByText(/^in (\d+ ms|\d+\.\d\d s)$/)).toBeVisible();
  await expect(call.getByText('content-type: application/json', { exact: true })).toBeVisible();
  await expect(call.getByText('cache-control: no-store', { exact: true })).toBeVisible();
  const body = page.getByTestId('exchange-call-body');
  await expect(body).toContainText(`"access_token": "${fingerprintOf(access)}"`);
  await expect(body).toContainText(`"refresh_token": "${fingerprintOf(refresh)}"`);
  await expect(body).toContainText('"token_type": "Bearer"');
  await expect(body).toContainText('"expires_in": 31535999');
  await expect(body).not.toContainText(access);
  await expect(body).not.toContainText(refresh);

  const unmask = call.getByRole('button', { name: 'Show body unmasked' });
  await expect(unmask).toHaveAttribute('aria-pressed', 'false');
  await unmask.click();
  await expect(body).toContainText(`"access_token": "${access}"`);
  await expect(body).toContainText(`"refresh_token": "${refresh}"`);
  const mask = call.getByRole('button', { name: 'Mask tokens in body' });
  await expect(mask).toHaveAttribute('aria-pressed', 'true');
  await mask.click();
  await expect(body).not.toContainText(access);
  await expect(body).toContainText(`"access_token": "${fingerprintOf(access)}"`);
});

test('Copy as curl: the exchange replays with a fresh code, the member call with the token', async ({
  page,
  baseURL,
}) => {
  await authorizeHere(page);
  await step(page, 'Code').getByRole('button', { name: 'Reveal authorization code' }).click();
  const usedCode = (await page.getByTestId('code-value').textContent())!;
  expect(usedCode).toMatch(HEX40);
  await exchangeCode(page);
  const access = await revealField(page.getByTestId('token-fields'), 'access_token');

  // The curl command has variables where the secret and the code were, and nothing real.
  const exchangeCurl = await curlOf(page, 'exchange-call');
  expect(exchangeCurl).toContain(`'${baseURL}/sim/oauth2/access_token'`);
  expect(exchangeCurl).toContain("-H 'Content-Type: application/x-www-form-urlencoded'");
  expect(exchangeCurl).toContain("--data-urlencode 'grant_type=authorization_code'");
  expect(exchangeCurl).toContain(`--data-urlencode 'client_id=${SIM_CLIENT_ID}'`);
  expect(exchangeCurl).toContain('--data-urlencode "client_secret=$CLIENT_SECRET"');
  expect(exchangeCurl).toContain('--data-urlencode "code=$CODE"');
  expect(exchangeCurl).toContain("#   export CLIENT_SECRET='…'");
  expect(exchangeCurl).toContain("#   export CODE='…'");
  expect(exchangeCurl).not.toContain(usedCode);
  expect(exchangeCurl).not.toContain(access);
  expect(exchangeCurl).not.toContain('[redacted]');

  // "Copy as curl" puts the same command on the clipboard.
  await page.getByTestId('exchange-call').getByRole('button', { name: 'Copy as curl' }).click();
  await expect(
    page.getByTestId('exchange-call').getByRole('button', { name: 'Copied' }),
  ).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(exchangeCurl);

  // A fresh code the app never sees: the consent form answered outside the page.
  const location = await consentRedirect(page.request, await buildAuthorizeUrl(page));
  const freshCode = new URL(location).searchParams.get('code')!;
  expect(freshCode).toMatch(HEX40);
  expect(freshCode).not.toBe(usedCode);
  const answer = JSON.parse(
    runInShell(exchangeCurl, { CLIENT_SECRET: SIM_CLIENT_SECRET, CODE: freshCode }),
  ) as Record<string, unknown>;
  expect(answer.access_token).toMatch(HEX40);
  expect(answer.refresh_token).toMatch(HEX40);
  expect(answer.access_token).not.toBe(access);
  expect(answer.token_type).toBe('Bearer');
  // The code is now spent: the same command fails the way PandaDoc says so.
  const again = JSON.parse(
    runInShell(exchangeCurl, { CLIENT_SECRET: SIM_CLIENT_SECRET, CODE: freshCode }),
  ) as Record<string, unknown>;
  expect(again.error).toBe('invalid_grant');

  // Step 6: the member call, with the access token as $ACCESS_TOKEN.
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('verify-call-status')).toHaveText('200 OK');
  const verify = page.getByTestId('verify-call');
  await expect(verify.getByText(/^GET http/)).toHaveText(
    `GET ${baseURL}/sim/public/v1/members/current`,
  );
  await expect(verify.getByText(/^Authorization: Bearer /)).toHaveText(
    `Authorization: Bearer ${fingerprintOf(access)}`,
  );
  await expect(verify).not.toContainText(access);
  const verifyCurl = await curlOf(page, 'verify-call');
  expect(verifyCurl).toContain(`'${baseURL}/sim/public/v1/members/current'`);
  expect(verifyCurl).toContain('-H "Authorization: Bearer $ACCESS_TOKEN"');
  expect(verifyCurl).not.toContain(access);
  const member = JSON.parse(runInShell(verifyCurl, { ACCESS_TOKEN: access })) as Record<
    string,
    unknown
  >;
  expect(member.email).toBe('demo@example.com');
  expect(member.first_name).toBe('Dana');
  expect(member.last_name).toBe('Demo');
  expect(member.workspace_name).toBe('Demo Workspace');
});
