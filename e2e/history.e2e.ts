import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  authorizeHere,
  exchangeCode,
  fingerprintOf,
  revealField,
  step,
  revealCode,
  useThenRefresh,
} from './helpers.ts';

/** The History panel: every step of the profile, newest first, fingerprints only, kept. */

const FINGERPRINT = /[0-9a-f]{8}…[0-9a-f]{4}/g;

function historyRows(page: Page): Locator {
  return step(page, 'History').getByRole('table').locator('tbody tr');
}

/** Each row as [step, outcome, details] cell texts, newest first. */
async function historyCells(page: Page): Promise<string[][]> {
  return historyRows(page).evaluateAll((rows) =>
    rows.map((row) =>
      [...row.querySelectorAll('td')].map((td) =>
        (td.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    ),
  );
}

test('History lists every step newest first, with fingerprints and never a raw value', async ({
  page,
}) => {
  await authorizeHere(page);
  const code = await revealCode(page);
  await exchangeCode(page);
  const fields = page.getByTestId('token-fields');
  const access = await revealField(fields, 'access_token');
  const refresh = await revealField(fields, 'refresh_token');

  await useThenRefresh(page);
  await expect(page.getByTestId('old-access-status')).toHaveText('rejected (401): no longer works');
  const newAccess = await revealField(fields, 'access_token');
  const newRefresh = await revealField(fields, 'refresh_token');
  // And the spent code once more.
  await page.getByRole('button', { name: 'Send the used code again' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('400 Bad Request');

  const history = step(page, 'History');
  await expect(history).toContainText('8 entries');
  const rows = historyRows(page);
  await expect(rows).toHaveCount(8);
  await expect(rows.locator('td:nth-child(2)')).toHaveText([
    'Exchange',
    'Refresh',
    'Use',
    'Refresh',
    'Use',
    'Exchange',
    'Code',
    'Authorize',
  ]);
  // The app's own checks that the replaced pair died are verifications, not failures.
  await expect(rows.locator('td:nth-child(3)')).toHaveText([
    'failed 400 invalid_grant',
    'confirmed dead 400 invalid_grant',
    'confirmed dead 401 authentication_error',
    'ok 200',
    'ok 200',
    'ok 200',
    'ok',
    'ok',
  ]);
  const outcomes = await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-outcome')));
  expect(outcomes).toEqual(['error', 'error', 'error', 'ok', 'ok', 'ok', 'ok', 'ok']);
  // Calls have a duration; the Authorize and Code events do not.
  await expect(rows.nth(5).locator('td:nth-child(4)')).toHaveText(/^\d+ ms$|^\d+\.\d\d s$/);
  await expect(rows.nth(7).locator('td:nth-child(4)')).toHaveText('');

  const fp = {
    code: fingerprintOf(code),
    access: fingerprintOf(access),
    refresh: fingerprintOf(refresh),
    newAccess: fingerprintOf(newAccess),
    newRefresh: fingerprintOf(newRefresh),
  };
  const details = rows.locator('td:nth-child(5)');
  await expect(details.nth(0)).toHaveText(`code ${fp.code}`);
  await expect(details.nth(1)).toHaveText(
    `trying the pair a refresh replaced refresh ${fp.refresh}`,
  );
  await expect(details.nth(2)).toHaveText(`trying the pair a refresh replaced access ${fp.access}`);
  await expect(details.nth(3)).toHaveText(
    `refresh ${fp.refresh} · → access ${fp.newAccess} · → refresh ${fp.newRefresh}`,
  );
  await expect(details.nth(4)).toHaveText(`access ${fp.access}`);
  await expect(details.nth(5)).toHaveText(
    `code ${fp.code} · → access ${fp.access} · → refresh ${fp.refresh}`,
  );
  await expect(details.nth(6)).toHaveText('code captured (redirect to /callback, state matched)');
  await expect(details.nth(7)).toHaveText('authorize URL built (scope read+write)');

  // Fingerprints only: not one raw code or token anywhere in the panel.
  const text = (await history.textContent()) ?? '';
  expect(text.match(FINGERPRINT)?.length).toBe(10);
  for (const raw of [code, access, refresh, newAccess, newRefresh]) expect(text).not.toContain(raw);

  // Kept on this device: after a reload, the same entries in the same order.
  const before = await historyCells(page);
  await page.reload();
  await expect(step(page, 'History')).toContainText('8 entries');
  await expect(historyRows(page)).toHaveCount(8);
  expect(await historyCells(page)).toEqual(before);
});

test('History survives a reload before any call: authorize and code events are stored', async ({
  page,
}) => {
  await authorizeHere(page);
  const rows = historyRows(page);
  await expect(rows.locator('td:nth-child(2)')).toHaveText(['Code', 'Authorize']);
  const before = await historyCells(page);
  await page.reload();
  await expect(step(page, 'History')).toContainText('2 entries');
  expect(await historyCells(page)).toEqual(before);
});
