import { expect, type Page, test } from '@playwright/test';
import { authorizeHere, exchangeCode, step } from './helpers.ts';

/** "Forget this profile": the session, tokens, history and remembered secret all go. */

const TYPED_SECRET = 'remembered-secret-3Kp8Wq';

/** Every key in the app's IndexedDB store. */
function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('pandadoc-oauth-debugger');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('records').objectStore('records').getAllKeys();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result.map(String));
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

test('forget a profile with tokens and a remembered secret: nothing of it is left', async ({
  page,
}) => {
  await authorizeHere(page);
  await exchangeCode(page);
  const profile = step(page, 'Profile');
  const secret = profile.getByLabel('client_secret');
  await secret.fill(TYPED_SECRET);
  await secret.blur();
  const remember = profile.getByLabel(
    'Remember the typed secret on this device (stored encrypted)',
  );
  await remember.check();
  await expect(remember).toBeChecked();

  // The secret is sealed and written asynchronously: wait until it is stored, then reload.
  await expect
    .poll(async () => (await storedKeys(page)).some((k) => k.startsWith('secret:')))
    .toBe(true);
  // Remembered for real: a reload brings the secret back, with the tokens and history.
  await page.reload();
  await expect(secret).toHaveValue(TYPED_SECRET);
  await expect(page.getByTestId('token-fields')).toBeVisible();
  await expect(step(page, 'History')).toContainText('3 entries');
  const keysBefore = await storedKeys(page);
  const oldId = keysBefore.find((k) => k.startsWith('secret:'))?.slice('secret:'.length);
  expect(oldId).toMatch(/^[0-9a-f-]{36}$/);
  expect(keysBefore).toEqual(
    expect.arrayContaining([`session:${oldId}`, `secret:${oldId}`, `history:${oldId}:meta`]),
  );

  // Asked first; Cancel keeps everything.
  await profile.getByRole('button', { name: 'Forget this profile' }).click();
  await expect(profile.getByRole('alert')).toHaveText(
    'Forget “Simulator demo”, its tokens and any remembered secret?',
  );
  await profile.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('token-fields')).toBeVisible();
  await profile.getByRole('button', { name: 'Forget this profile' }).click();
  await profile.getByRole('button', { name: 'Yes, forget it' }).click();

  // A fresh Simulator profile in its place: no tokens, no code, no history, no secret.
  const fresh = step(page, 'Profile');
  await expect(fresh.getByLabel('Active profile').locator('option')).toHaveCount(1);
  await expect(fresh.getByLabel('Active profile')).toHaveText('Simulator demo');
  await expect(fresh.getByLabel('client_secret')).toHaveValue('');
  await expect(step(page, 'Tokens')).toContainText('No tokens yet');
  await expect(page.getByTestId('captured-code')).toBeHidden();
  await expect(step(page, 'History')).toContainText('Nothing yet.');
  await expect(step(page, 'History')).toContainText('0 entries');

  // And after a reload, still nothing of the old profile, on screen or on disk.
  await page.reload();
  await expect(step(page, 'Profile').getByLabel('Active profile')).toHaveText('Simulator demo');
  await expect(step(page, 'Profile').getByLabel('client_secret')).toHaveValue('');
  await expect(
    step(page, 'Profile').getByLabel('Remember the typed secret on this device (stored encrypted)'),
  ).toBeHidden();
  await expect(step(page, 'Tokens')).toContainText('No tokens yet');
  await expect(step(page, 'History')).toContainText('Nothing yet.');
  await expect(step(page, 'Exchange')).toContainText('Capture a code first');
  const keysAfter = await storedKeys(page);
  expect(keysAfter.filter((k) => k.includes(oldId!))).toEqual([]);
  expect(keysAfter.some((k) => k.startsWith('secret:'))).toBe(false);
});
