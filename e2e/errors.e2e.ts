import { expect, test } from '@playwright/test';
import {
  authorizeHere,
  buildAuthorizeUrl,
  consentRedirect,
  denyOnSimulator,
  exchangeCode,
  openDebugger,
  pasteCallback,
  step,
} from './helpers.ts';

test('Deny on the consent screen: access_denied, no code', async ({ page, baseURL }) => {
  await openDebugger(page);
  await buildAuthorizeUrl(page);
  await page.getByRole('link', { name: 'Open here' }).click();
  await denyOnSimulator(page);
  await expect(page).toHaveURL(`${baseURL}/`);
  const error = page.getByTestId('callback-error');
  await expect(error).toHaveAttribute('data-code', 'access_denied');
  await expect(error).toContainText('The user clicked Deny');
  await expect(error).toContainText('click Authorize this time');
  expect(page.url()).not.toContain('error=');
  await expect(page.getByTestId('captured-code')).toBeHidden();
  await expect(step(page, 'Code')).toContainText('rejected');
  await expect(page.getByRole('button', { name: 'Exchange code for tokens' })).toBeHidden();
});

test('a redirect from an older authorize request: state_mismatch', async ({ page }) => {
  await openDebugger(page);
  const older = await buildAuthorizeUrl(page);
  const olderRedirect = await consentRedirect(page.request, older);
  const newer = await buildAuthorizeUrl(page);
  expect(new URL(newer).searchParams.get('state')).not.toBe(
    new URL(older).searchParams.get('state'),
  );

  await pasteCallback(page, olderRedirect);
  const error = page.getByTestId('callback-error');
  await expect(error).toHaveAttribute('data-code', 'state_mismatch');
  await expect(error).toContainText('does not match the one this browser sent');
  await expect(page.getByTestId('captured-code')).toBeHidden();
  await expect(page.getByLabel('Paste a code or the whole redirect URL')).toHaveValue(
    olderRedirect,
  );
});

test('an authorize URL without state comes back with state= empty: its own message', async ({
  page,
}) => {
  await openDebugger(page);
  const url = new URL(await buildAuthorizeUrl(page));
  url.searchParams.delete('state');
  const location = await consentRedirect(page.request, url.href);
  expect(location).toMatch(/\?state=&code=[0-9a-f]{40}$/);

  await pasteCallback(page, location);
  const error = page.getByTestId('callback-error');
  await expect(error).toHaveAttribute('data-code', 'state_empty');
  await expect(error).toContainText('came back with an empty state=');
  await expect(page.getByTestId('captured-code')).toBeHidden();
});

test('garbage is rejected with a specific message and kept in the box', async ({ page }) => {
  await openDebugger(page);
  const box = page.getByLabel('Paste a code or the whole redirect URL');
  const error = page.getByTestId('callback-error');

  await pasteCallback(page, 'hello world');
  await expect(error).toHaveAttribute('data-code', 'garbage');
  await expect(error).toContainText('That looks like text with spaces ("hello world")');
  await expect(box).toHaveValue('hello world');

  await pasteCallback(page, '<html>');
  await expect(error).toHaveAttribute('data-code', 'garbage');
  await expect(error).toContainText('That looks like HTML');
  await expect(error).not.toContainText('text with spaces');
  await expect(box).toHaveValue('<html>');
  await expect(page.getByTestId('captured-code')).toBeHidden();
});

test('sending a used code again: invalid_grant with explanation and the reuse warning', async ({
  page,
}) => {
  await authorizeHere(page);
  await expect(page.getByTestId('reuse-warning')).toBeHidden();
  await exchangeCode(page);

  const warning = page.getByTestId('reuse-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('This code was already exchanged');
  await page.getByRole('button', { name: 'Send the used code again' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('400 Bad Request');
  const error = page.getByTestId('exchange-error');
  // The triage knows from this session's history that the code was already exchanged, and when.
  await expect(error).toHaveAttribute('data-rule', 'code_reused');
  await expect(error).toContainText('This code was already exchanged');
  await expect(error).toContainText('(attempt 1)');
  await expect(page.getByTestId('exchange-call-body')).toContainText('"error": "invalid_grant"');
  await expect(warning).toBeVisible();
  // The failed retry does not wipe the tokens the first exchange got.
  await expect(page.getByTestId('token-fields')).toBeVisible();
});

test('a wrong client_secret typed in the browser overrides the server one: invalid_client', async ({
  page,
}) => {
  await authorizeHere(page);
  const secret = step(page, 'Profile').getByLabel('client_secret');
  await secret.fill('definitely-wrong-secret');
  await secret.blur();

  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('400 Bad Request');
  const error = page.getByTestId('exchange-error');
  await expect(error).toHaveAttribute('data-rule', 'wrong_secret');
  await expect(error).toContainText('invalid_client');
  await expect(error).toContainText('The secret was typed in this browser');
  await expect(page.getByTestId('exchange-call')).toContainText(
    'typed in the browser; not echoed back',
  );
  await expect(page.getByTestId('exchange-call')).not.toContainText('definitely-wrong-secret');
  await expect(page.getByTestId('token-fields')).toBeHidden();
});
