import { expect, test } from '@playwright/test';
import {
  authorizeOnSimulator,
  buildAuthorizeUrl,
  consentRedirect,
  exchangeCode,
  expectCodeCapturedWithState,
  HEX40,
  openDebugger,
  pasteCallback,
  revealField,
  step,
} from './helpers.ts';

test('Open in a new tab: the callback in the second tab finds the pending authorization', async ({
  page,
  context,
  baseURL,
}) => {
  await openDebugger(page);
  const url = await buildAuthorizeUrl(page);

  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: 'Open in a new tab' }).click(),
  ]);
  await expect(tab).toHaveURL(url);
  await authorizeOnSimulator(tab);
  await expect(tab).toHaveURL(`${baseURL}/`);
  await expectCodeCapturedWithState(tab);
  expect(tab.url()).not.toContain('code=');
  await expect(step(tab, 'Authorize')).not.toContainText('waiting for the redirect');
  await exchangeCode(tab);
  const access = await revealField(tab.getByTestId('token-fields'), 'access_token');

  // The first tab shares IndexedDB: after a reload it shows the same code and tokens.
  await page.reload();
  await expect(step(page, 'Code')).toContainText('code used');
  expect(await revealField(page.getByTestId('token-fields'), 'access_token')).toBe(access);
});

test('a second page opened on the authorize URL is answered in that page', async ({
  page,
  context,
  baseURL,
}) => {
  await openDebugger(page);
  const url = await buildAuthorizeUrl(page);
  const second = await context.newPage();
  await second.goto(url);
  await authorizeOnSimulator(second);
  await expect(second).toHaveURL(`${baseURL}/`);
  await expectCodeCapturedWithState(second);
  await exchangeCode(second);
});

test('paste the whole redirect URL: captured, state matched, exchange succeeds', async ({
  page,
  baseURL,
}) => {
  await openDebugger(page);
  const url = await buildAuthorizeUrl(page);
  const state = new URL(url).searchParams.get('state');
  const location = await consentRedirect(page.request, url);
  const redirect = new URL(location);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(`${baseURL}/callback`);
  expect(redirect.searchParams.get('state')).toBe(state);
  expect(redirect.searchParams.get('code')).toMatch(HEX40);

  // The app never saw the redirect: nothing is captured yet.
  await expect(page.getByTestId('captured-code')).toBeHidden();
  await pasteCallback(page, location);
  await expectCodeCapturedWithState(page);
  await expect(step(page, 'Code')).toContainText('pasted at');
  await expect(page.getByLabel('Paste a code or the whole redirect URL')).toHaveValue('');
  await page.getByRole('button', { name: 'Reveal authorization code' }).click();
  await expect(page.getByTestId('code-value')).toHaveText(redirect.searchParams.get('code')!);

  await exchangeCode(page);
  await expect(page.getByTestId('exchange-error')).toBeHidden();
  await expect(
    page.getByTestId('token-fields').locator('tr[data-field="scope"] td').first(),
  ).toHaveText('read write read+write');
});

test('paste a bare code: captured without a state check, exchange succeeds', async ({ page }) => {
  await openDebugger(page);
  const url = await buildAuthorizeUrl(page);
  const code = new URL(await consentRedirect(page.request, url)).searchParams.get('code')!;
  expect(code).toMatch(HEX40);

  await pasteCallback(page, code);
  await expect(page.getByTestId('state-check')).toHaveText(
    'not checked (a bare code carries no state)',
  );
  await expect(step(page, 'Code')).toContainText(
    'Only a code was pasted, so state could not be checked',
  );
  await page.getByRole('button', { name: 'Reveal authorization code' }).click();
  await expect(page.getByTestId('code-value')).toHaveText(code);

  await exchangeCode(page);
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('member-summary')).toContainText('This token belongs to Dana Demo');
});
