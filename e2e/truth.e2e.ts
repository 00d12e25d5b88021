import { expect, test } from '@playwright/test';
import {
  authorizeHere,
  authorizeOnSimulator,
  buildAuthorizeUrl,
  denyOnSimulator,
  exchangeCode,
  expectCodeCapturedWithState,
  openDebugger,
  step,
  useThenRefresh,
} from './helpers.ts';

/**
 * The app says only what an answer proved (issue 8): a typed secret is not silently dropped, a
 * code is "used" only when PandaDoc's answer says so, and nothing claims a code after a Deny.
 */

test('a client_secret typed at step 1 survives the same-tab trip to the consent screen', async ({
  page,
}) => {
  await openDebugger(page);
  const secret = step(page, 'Profile').getByLabel('client_secret');
  await secret.fill('definitely-wrong-secret');
  await secret.blur();
  await buildAuthorizeUrl(page);
  await page.getByRole('link', { name: 'Open here' }).click();
  await authorizeOnSimulator(page);
  await expect(page).toHaveURL(/\/$/);
  await expectCodeCapturedWithState(page);
  // Still there after the full page load, and it is what the exchange sends.
  await expect(step(page, 'Profile').getByLabel('client_secret')).toHaveValue(
    'definitely-wrong-secret',
  );
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('400 Bad Request');
  await expect(page.getByTestId('exchange-call')).toContainText(
    'typed in the browser; not echoed back',
  );
  await expect(page.getByTestId('exchange-error')).toHaveAttribute('data-rule', 'wrong_secret');
  // Stored sealed: the tab's sessionStorage never holds it in clear.
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  expect(stored).not.toContain('definitely-wrong-secret');

  // PandaDoc checks the client before the code: the code is unspent, and the app says so.
  await expect(page.getByTestId('reuse-warning')).toBeHidden();
  await expect(page.getByTestId('code-unspent')).toContainText('still unused');
  await expect(step(page, 'Code')).toContainText('code captured');
  await step(page, 'Profile').getByLabel('client_secret').fill('');
  await step(page, 'Profile').getByLabel('client_secret').blur();
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  await expect(page.getByTestId('token-fields')).toBeVisible();
  // Right after a success: a plain note, no warning colours.
  await expect(page.getByTestId('reuse-warning')).toBeVisible();
  await expect(page.getByTestId('reuse-warning')).not.toHaveClass(/warn/);
});

test('the local server going away mid-exchange proves nothing: the code is not called used', async ({
  page,
}) => {
  await authorizeHere(page);
  await page.route('**/api/token', (route) => route.abort('connectionreset'));
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(step(page, 'Exchange').getByRole('alert')).toContainText(
    'The local debugger server is not answering',
  );
  await expect(page.getByTestId('reuse-warning')).toBeHidden();
  await expect(step(page, 'Code')).toContainText('code captured');
  await page.unroute('**/api/token');
  await exchangeCode(page);
});

test('after Deny, step 2 is not waiting and the diagram claims no code', async ({ page }) => {
  await openDebugger(page);
  await buildAuthorizeUrl(page);
  await expect(step(page, 'Authorize')).toContainText('waiting for the redirect');
  await page.getByRole('link', { name: 'Open here' }).click();
  await denyOnSimulator(page);
  await expect(page.getByTestId('callback-error')).toHaveAttribute('data-code', 'access_denied');
  const authorize = step(page, 'Authorize');
  await expect(authorize).not.toContainText('waiting for the redirect');
  await expect(authorize).not.toContainText('is waiting for its redirect');
  const flow = page.getByTestId('flow-messages');
  await expect(flow).toContainText(
    'failed: PandaDoc sent the browser back with error=access_denied',
  );
  await expect(flow.locator('[aria-current="step"]')).toHaveCount(0);
  // And after a reload, nothing is pending either.
  await page.reload();
  await expect(step(page, 'Authorize')).not.toContainText('waiting for the redirect');
});

test('re-sending a code after a refresh does not call the replaced tokens "still good"', async ({
  page,
}) => {
  await authorizeHere(page);
  await exchangeCode(page);
  await useThenRefresh(page);
  await page.getByRole('button', { name: 'Send the used code again' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('400 Bad Request');
  const error = page.getByTestId('exchange-error');
  await expect(error).toHaveAttribute('data-rule', 'code_reused');
  await expect(error).not.toContainText('still good');
  await expect(error).toContainText('replaced by the refresh at');
});
