import { expect, test } from '@playwright/test';
import {
  authorizeOnSimulator,
  buildAuthorizeUrl,
  exchangeCode,
  expectCodeCapturedWithState,
  HEX40,
  fingerprintOf,
  MASKED40,
  openDebugger,
  revealField,
  SIM_CLIENT_ID,
  step,
} from './helpers.ts';

test('the Simulator profile is pre-filled and the authorize URL carries every parameter', async ({
  page,
  baseURL,
}) => {
  await openDebugger(page);
  const profile = step(page, 'Profile');
  await expect(profile.getByLabel('Active profile')).toHaveText('Simulator demo');
  await expect(profile.getByLabel('Environment')).toHaveValue('simulator');
  await expect(profile.getByLabel('client_id', { exact: true })).toHaveValue(SIM_CLIENT_ID);
  await expect(profile.getByLabel('redirect_uri')).toHaveValue(`${baseURL}/callback`);
  await expect(profile.getByLabel('scope', { exact: true })).toHaveValue('read+write');
  await expect(profile.getByLabel('client_secret')).toHaveAttribute(
    'placeholder',
    'held by the local server',
  );

  const url = await buildAuthorizeUrl(page);
  expect(url.startsWith(`${baseURL}/sim/oauth2/authorize?`)).toBe(true);
  expect(url).toContain('scope=read+write');
  const params = new URL(url).searchParams;
  expect(params.get('client_id')).toBe(SIM_CLIENT_ID);
  expect(params.get('redirect_uri')).toBe(`${baseURL}/callback`);
  expect(params.get('scope')).toBe('read write'); // `+` form-decodes to a space
  expect(params.get('response_type')).toBe('code');
  expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(params.get('code_challenge_method')).toBe('S256');

  const challengeRow = page.locator('tr[data-param="code_challenge"]');
  await expect(challengeRow).toContainText('ignored by PandaDoc');
  await expect(challengeRow).toContainText(params.get('code_challenge')!);
  await expect(page.locator('tr[data-param="client_id"]')).not.toContainText('ignored by PandaDoc');
  await expect(step(page, 'Authorize')).toContainText('waiting for the redirect');
});

test('happy path: authorize, exchange, call members/current, reload, refresh', async ({
  page,
  baseURL,
}) => {
  await openDebugger(page);
  const url = await buildAuthorizeUrl(page);
  const sentState = new URL(url).searchParams.get('state');

  // Step 2 → simulator consent screen → back on the app, code removed from the address bar.
  await page.getByRole('link', { name: 'Open here' }).click();
  await expect(page).toHaveTitle(/Authorize Application/);
  await expect(page.getByText(`The application ${SIM_CLIENT_ID} wants to access`)).toBeVisible();
  await authorizeOnSimulator(page);
  await expect(page).toHaveURL(`${baseURL}/`);
  await expectCodeCapturedWithState(page);
  expect(page.url()).toBe(`${baseURL}/`);
  expect(page.url()).not.toContain('code=');
  expect(sentState).toBeTruthy();
  const codeStep = step(page, 'Code');
  await expect(codeStep).toContainText('the /callback redirect');
  await codeStep.getByRole('button', { name: 'Reveal authorization code' }).click();
  await expect(page.getByTestId('code-value')).toHaveText(HEX40);
  const code = (await page.getByTestId('code-value').textContent())!;

  // Step 4: exchange.
  await exchangeCode(page);
  const sent = page.getByTestId('exchange-call');
  await sent.getByRole('button', { name: 'Reveal request code' }).click();
  await expect(sent.locator('code[data-revealed="true"]')).toHaveText(code);
  await expect(sent).toContainText('held by the local server');
  const fields = page.getByTestId('token-fields');
  const accessRow = fields.locator('tr[data-field="access_token"]');
  const maskedAccess = accessRow.locator('td code');
  await expect(maskedAccess).toHaveText(MASKED40);
  const access = await revealField(fields, 'access_token');
  await expect(maskedAccess).toHaveText(MASKED40);
  await expect(maskedAccess).toHaveText(fingerprintOf(access));
  const refresh = await revealField(fields, 'refresh_token');
  expect(refresh).not.toBe(access);
  await expect(fields.locator('tr[data-field="token_type"] td').first()).toHaveText('Bearer');
  await expect(fields.locator('tr[data-field="expires_in"] td').first()).toHaveText(
    '31535999 s (≈ 365 days)',
  );
  await expect(fields.locator('tr[data-field="scope"] td').first()).toHaveText(
    'read write read+write',
  );
  const scopes = page.getByTestId('granted-scopes').getByRole('listitem');
  await expect(scopes).toHaveCount(3);
  await expect(scopes.nth(0)).toContainText(/^read: /);
  await expect(scopes.nth(1)).toContainText(/^write: /);
  await expect(scopes.nth(2)).toContainText(/^read\+write: /);
  const nextYear = String(new Date(Date.now() + 31535999_000).getFullYear());
  await expect(page.getByTestId('expiry')).toContainText(nextYear);
  await expect(page.getByTestId('countdown')).toHaveText(/^in 36[45] d \d+ h \d+ min$/);
  await expect(step(page, 'Code')).toContainText('code used');

  // Step 6: whose token is this?
  await page.getByRole('button', { name: 'Call members/current' }).click();
  const summary = page.getByTestId('member-summary');
  await expect(summary).toContainText('This token belongs to Dana Demo');
  await expect(summary).toContainText('demo@example.com');
  await expect(summary).toContainText('in workspace Demo Workspace');
  await expect(summary).toContainText('Pv8sDy3jNe5XrKq7UaWm2c');
  await expect(page.getByTestId('verify-call-status')).toHaveText('200 OK');

  // A reload loses nothing.
  await page.reload();
  await expect(page.getByTestId('code-value')).toHaveText(MASKED40);
  await expect(page.getByTestId('state-check')).toHaveText('checked when captured');
  await expect(page.getByTestId('member-summary')).toContainText('This token belongs to Dana Demo');
  await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  expect(await revealField(page.getByTestId('token-fields'), 'access_token')).toBe(access);
  expect(await revealField(page.getByTestId('token-fields'), 'refresh_token')).toBe(refresh);
  await step(page, 'Code').getByRole('button', { name: 'Reveal authorization code' }).click();
  await expect(page.getByTestId('code-value')).toHaveText(code);

  // Step 7: refresh rotates both tokens and kills the old pair.
  await page.getByRole('button', { name: 'Refresh tokens' }).click();
  await expect(page.getByTestId('refresh-call-status')).toHaveText('200 OK');
  await expect(page.getByTestId('old-access-status')).toHaveText('rejected (401): no longer works');
  await expect(page.getByTestId('old-refresh-status')).toHaveText(
    'rejected (invalid_grant): no longer works',
  );
  await expect(step(page, 'Refresh')).toContainText('rotated');
  const newAccess = await revealField(page.getByTestId('token-fields'), 'access_token');
  const newRefresh = await revealField(page.getByTestId('token-fields'), 'refresh_token');
  expect(newAccess).not.toBe(access);
  expect(newRefresh).not.toBe(refresh);
  const accessRow2 = page.getByTestId('rotation').locator('tr[data-row="access"] code');
  // The same fingerprint form as History and the report.
  await expect(accessRow2.nth(0)).toHaveText(fingerprintOf(access));
  await expect(accessRow2.nth(1)).toHaveText(fingerprintOf(newAccess));
  // The old member result belonged to the old token: it is cleared, and the new one works.
  await expect(page.getByTestId('member-summary')).toBeHidden();
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('member-summary')).toContainText('This token belongs to Dana Demo');
});
