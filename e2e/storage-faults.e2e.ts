import { expect, type Page, test } from '@playwright/test';
import {
  authorizeHere,
  authorizeOnSimulator,
  buildAuthorizeUrl,
  consentRedirect,
  exchangeCode,
  expectCodeCapturedWithState,
  MASKED40,
  openDebugger,
  pasteCallback,
  revealField,
  step,
} from './helpers.ts';

/** IndexedDB unavailable, corrupt or full: the app keeps working and says what it could not do. */

const DB = 'pandadoc-oauth-debugger';

/**
 * Reads or writes one record of the app's IndexedDB store, from inside the page. `value` goes
 * through JSON; 'sealed-garbage' stands for a record shaped like a sealed one (a Uint8Array iv and
 * an ArrayBuffer, which JSON can't carry) whose bytes decrypt under no key.
 */
function idb(page: Page, op: 'get' | 'put', key: string, value?: unknown): Promise<unknown> {
  return page.evaluate(
    ({ db, op, key, value: given }) =>
      new Promise<unknown>((resolve, reject) => {
        const value =
          given === 'sealed-garbage'
            ? {
                v: 1,
                data: {
                  sealed: 1,
                  iv: crypto.getRandomValues(new Uint8Array(12)),
                  data: crypto.getRandomValues(new Uint8Array(64)).buffer,
                },
              }
            : given;
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('records', op === 'get' ? 'readonly' : 'readwrite');
          const store = tx.objectStore('records');
          const req = op === 'get' ? store.get(key) : store.put(value, key);
          req.onerror = () => reject(req.error);
          tx.oncomplete = () => {
            open.result.close();
            resolve(op === 'get' ? req.result : undefined);
          };
        };
      }),
    { db: DB, op, key, value },
  );
}

/** Steps 2–4 within one page (no navigation): authorize outside it, paste the redirect, exchange. */
async function exchangeByPasting(page: Page): Promise<void> {
  const location = await consentRedirect(page.request, await buildAuthorizeUrl(page));
  await pasteCallback(page, location);
  await expectCodeCapturedWithState(page);
  await exchangeCode(page);
}

const openFailures = {
  'indexedDB.open throws': () => {
    IDBFactory.prototype.open = function () {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  },
  'indexedDB.open fires an error event': () => {
    IDBFactory.prototype.open = function () {
      const request = new EventTarget() as IDBOpenDBRequest & {
        onerror: ((e: Event) => void) | null;
      };
      Object.defineProperty(request, 'error', {
        value: new DOMException('Internal error opening backing store.', 'UnknownError'),
      });
      Object.defineProperty(request, 'result', {
        get() {
          throw new DOMException('no result', 'InvalidStateError');
        },
      });
      setTimeout(() => {
        const event = new Event('error');
        request.onerror?.(event);
        request.dispatchEvent(event);
      }, 10);
      return request;
    };
  },
};

for (const [name, script] of Object.entries(openFailures)) {
  test(`IndexedDB unavailable (${name}): the flow works in memory and says nothing is kept`, async ({
    page,
  }) => {
    await page.addInitScript(script);
    await openDebugger(page);
    const notice = page.getByRole('status').filter({ hasText: 'Nothing will be kept' });
    await expect(notice).toHaveText(
      /^Nothing will be kept after this tab closes: IndexedDB could not be opened: .+[^.]\.\s+Not even a trip to\s+PandaDoc's consent screen/,
    );
    await expect(step(page, 'Profile').getByLabel('Active profile')).toHaveText('Simulator demo');

    await exchangeByPasting(page);
    const access = await revealField(page.getByTestId('token-fields'), 'access_token');
    await page.getByRole('button', { name: 'Call members/current' }).click();
    await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
    await page.getByRole('button', { name: 'Refresh tokens' }).click();
    await expect(page.getByTestId('refresh-call-status')).toHaveText('200 OK');
    expect(await revealField(page.getByTestId('token-fields'), 'access_token')).not.toBe(access);
    await expect(step(page, 'History')).toContainText('entries');
    await expect(page.getByRole('alert')).toHaveCount(0);

    // It meant it: after a reload the tab starts from nothing.
    await page.reload();
    await expect(notice).toBeVisible();
    await expect(step(page, 'Tokens')).toContainText('No tokens yet');
    await expect(step(page, 'History')).toContainText('Nothing yet.');
  });
}

test('a corrupt profile record is skipped with a notice; the good profile and its tokens stay', async ({
  page,
}) => {
  await authorizeHere(page);
  await exchangeCode(page);
  const access = await revealField(page.getByTestId('token-fields'), 'access_token');
  await expect(page.getByRole('status').filter({ hasText: 'unreadable' })).toHaveCount(0);

  const stored = (await idb(page, 'get', 'profiles')) as { v: number; data: unknown[] };
  expect(stored.v).toBe(2);
  expect(stored.data).toHaveLength(1);
  await idb(page, 'put', 'profiles', {
    v: 1,
    data: [{ junk: true }, 'not even an object', stored.data[0]],
  });
  await page.reload();

  await expect(
    page
      .getByRole('status')
      .filter({ hasText: '2 stored profile(s) were unreadable and were skipped' }),
  ).toBeVisible();
  const profiles = step(page, 'Profile').getByLabel('Active profile');
  await expect(profiles.locator('option')).toHaveCount(1);
  await expect(profiles).toHaveText('Simulator demo');
  expect(await revealField(page.getByTestId('token-fields'), 'access_token')).toBe(access);
  await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  await expect(step(page, 'History')).toContainText('3 entries');
});

test('a session record that is not sealed is skipped with a notice; the profile and history stay', async ({
  page,
}) => {
  await authorizeHere(page);
  await exchangeCode(page);
  const profileId = ((await idb(page, 'get', 'active-profile')) as { data: string }).data;
  expect(profileId).toMatch(/^[0-9a-f-]{36}$/);
  // As if something wrote the session in plain text: never to be trusted or shown.
  await idb(page, 'put', `session:${profileId}`, {
    v: 1,
    data: { tokens: { accessToken: 'planted', refreshToken: 'planted' } },
  });
  await page.reload();

  await expect(
    page
      .getByRole('status')
      .filter({ hasText: `Stored record "session:${profileId}" is not sealed and was skipped` }),
  ).toBeVisible();
  await expect(step(page, 'Profile').getByLabel('Active profile')).toHaveText('Simulator demo');
  await expect(step(page, 'Tokens')).toContainText('No tokens yet');
  await expect(page.getByText('planted')).toHaveCount(0);
  await expect(step(page, 'History')).toContainText('3 entries');
  // And the app goes on: a new authorization works from scratch.
  await buildAuthorizeUrl(page);
  await page.getByRole('link', { name: 'Open here' }).click();
  await authorizeOnSimulator(page);
  await expectCodeCapturedWithState(page);
  await exchangeCode(page);
});

test('a sealed session that no longer decrypts is skipped with a notice', async ({ page }) => {
  await authorizeHere(page);
  await exchangeCode(page);
  const profileId = ((await idb(page, 'get', 'active-profile')) as { data: string }).data;
  await idb(page, 'put', `session:${profileId}`, 'sealed-garbage');
  await page.reload();
  await expect(
    page.getByRole('status').filter({
      hasText: `Stored record "session:${profileId}" could not be decrypted and was skipped`,
    }),
  ).toBeVisible();
  await expect(step(page, 'Tokens')).toContainText('No tokens yet');
  await expect(step(page, 'Profile').getByLabel('Active profile')).toHaveText('Simulator demo');
  await expect(step(page, 'History')).toContainText('3 entries');
});

test('a corrupt history page is skipped with a notice; the rest of the app loads', async ({
  page,
}) => {
  await authorizeHere(page);
  await exchangeCode(page);
  const profileId = ((await idb(page, 'get', 'active-profile')) as { data: string }).data;
  const key = `history:${profileId}:0`;
  const page0 = (await idb(page, 'get', key)) as { v: number; data: unknown[] };
  expect(page0.data).toHaveLength(3);
  await idb(page, 'put', key, { v: 1, data: [{ junk: true }, ...page0.data] });
  await page.reload();
  await expect(page.getByTestId('token-fields')).toBeVisible();
  await expect(step(page, 'History').getByRole('table').locator('tbody tr')).toHaveCount(3);
  // Skipped, but silently: the store notes the problem and nobody shows it.
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: '1 history entries were unreadable and were skipped' }),
  ).toBeVisible({ timeout: 2000 });
});

/** Makes every IndexedDB put throw QuotaExceededError while `window.__quotaFull` is true. */
function quotaSwitch(page: Page) {
  return page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: Parameters<IDBObjectStore['put']>) {
      if ((window as { __quotaFull?: boolean }).__quotaFull) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
}

const setQuotaFull = (page: Page, full: boolean) =>
  page.evaluate((full) => ((window as { __quotaFull?: boolean }).__quotaFull = full), full);

test('storage full: the exchange still shows its tokens, and says they could not be saved', async ({
  page,
}) => {
  await quotaSwitch(page);
  await authorizeHere(page);
  await setQuotaFull(page, true);

  await exchangeCode(page);
  const alert = page.getByRole('alert').filter({ hasText: 'Could not save' });
  await expect(alert).toHaveText(
    /^Could not save .+ on this device \(The quota has been exceeded\.\)\. It is kept in this tab until you close it\.$/,
  );
  // Nothing is lost in the tab: tokens, history, and the next steps all work.
  const fields = page.getByTestId('token-fields');
  await expect(fields.locator('tr[data-field="access_token"] td code')).toHaveText(MASKED40);
  const access = await revealField(fields, 'access_token');
  await expect(step(page, 'History')).toContainText('3 entries');
  await expect(step(page, 'Code')).toContainText('code used');
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
  await expect(page.getByTestId('verify-call-status')).toHaveText('200 OK');
  expect(await revealField(fields, 'access_token')).toBe(access);

  // Space again: the next write goes through and the warning goes away.
  await setQuotaFull(page, false);
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
});

test('storage full at a refresh: the new pair, the only live one, is shown in full to copy', async ({
  page,
}) => {
  await quotaSwitch(page);
  await authorizeHere(page);
  await exchangeCode(page);
  const fields = page.getByTestId('token-fields');
  const access = await revealField(fields, 'access_token');
  const refresh = await revealField(fields, 'refresh_token');
  await setQuotaFull(page, true);

  await page.getByRole('button', { name: 'Refresh tokens' }).click();
  await expect(page.getByTestId('refresh-call-status')).toHaveText('200 OK');
  const unsaved = page
    .getByRole('alert')
    .filter({ hasText: 'The new tokens could not be stored.' });
  await expect(unsaved).toContainText('Copy them now: the old ones are dead.');
  const newAccess = await revealField(fields, 'access_token');
  const newRefresh = await revealField(fields, 'refresh_token');
  expect(newAccess).not.toBe(access);
  expect(newRefresh).not.toBe(refresh);
  await expect(unsaved).toContainText(`access_token ${newAccess}`);
  await expect(unsaved).toContainText(`refresh_token ${newRefresh}`);
  await expect(
    page.getByRole('alert').filter({ hasText: 'The new tokens could not be saved on this device' }),
  ).toContainText('The quota has been exceeded.');
  // The new pair works.
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
});

test('storage full since the exchange: a refresh keeps the new pair in the tab', async ({
  page,
}) => {
  await quotaSwitch(page);
  await authorizeHere(page);
  await setQuotaFull(page, true);
  await exchangeCode(page);
  const fields = page.getByTestId('token-fields');
  const access = await revealField(fields, 'access_token');

  await page.getByRole('button', { name: 'Refresh tokens' }).click();
  await expect(page.getByTestId('refresh-call-status')).toHaveText('200 OK');
  // The old pair is dead upstream now: the new one must still be in this tab.
  await expect(page.getByTestId('token-fields')).toBeVisible({ timeout: 3000 });
  expect(await revealField(fields, 'access_token')).not.toBe(access);
  await expect(
    page.getByRole('alert').filter({ hasText: 'The new tokens could not be stored.' }),
  ).toBeVisible({ timeout: 3000 });
});
