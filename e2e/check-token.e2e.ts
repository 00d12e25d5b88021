import { expect, test } from '@playwright/test';
import { authorizeHere, exchangeCode, openDebugger, revealField, step } from './helpers.ts';

/** A real, live access token from the simulator, obtained through the app in its own context. */
async function liveToken(browser: import('@playwright/test').Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openDebugger(page);
  await authorizeHere(page);
  await exchangeCode(page);
  const token = await revealField(step(page, 'Tokens').getByTestId('token-fields'), 'access_token');
  await context.close();
  return token;
}

test('check a token pasted from a log: whose it is, and nothing kept unless asked', async ({
  browser,
  page,
}) => {
  const token = await liveToken(browser);
  await openDebugger(page);
  const panel = step(page, 'Check any token');
  const profiles = page.getByLabel('Active profile').locator('option');
  await expect(profiles).toHaveCount(1);

  // As it would appear in a customer's log line.
  await panel.getByLabel('Access token').fill(`Bearer ${token}`);
  await panel.getByRole('button', { name: 'Check token' }).click();
  await expect(panel.getByTestId('check-result')).toContainText('Works');
  await expect(panel.getByTestId('check-result')).toContainText('Dana Demo');
  await expect(panel.getByTestId('check-result')).toContainText('Demo Workspace');
  await expect(panel.getByTestId('check-call-status')).toHaveText('200 OK');
  // Not kept: no new profile, and the flow's own Tokens step still has none.
  await expect(profiles).toHaveCount(1);
  await expect(step(page, 'Tokens')).toContainText('No tokens yet');

  // Kept only when asked, in a profile of its own.
  await panel.getByRole('button', { name: 'Keep it in a new profile' }).click();
  await expect(profiles).toHaveCount(2);
  await expect(profiles.nth(1)).toHaveText(`Checked token …${token.slice(-4)}`);
});

test('check a dead or mistyped token: a clear 401 explanation', async ({ page }) => {
  await openDebugger(page);
  const panel = step(page, 'Check any token');
  await panel.getByLabel('Access token').fill('0123456789abcdef0123456789abcdef01234567');
  await panel.getByRole('button', { name: 'Check token' }).click();
  const error = panel.getByTestId('check-error');
  await expect(error).toHaveAttribute('data-rule', 'api_unauthorized');
  await expect(error).toContainText('PandaDoc did not accept the access token (401)');
  await panel.getByLabel('Access token').fill('not a token');
  await expect(panel.getByText('That has spaces in it')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Check token' })).toBeDisabled();
});
