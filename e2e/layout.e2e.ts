import { expect, type Page, test } from '@playwright/test';
import { authorizeHere, exchangeCode, openDebugger, step } from './helpers.ts';

/** Layout a user feels: nothing moves under the pointer, and a phone-wide window reads well. */

test('Build authorize URL works on the first click straight after typing a secret', async ({
  page,
}) => {
  await openDebugger(page);
  // Focus stays in the field: the click's mouse-down is what blurs it and commits the secret.
  await step(page, 'Profile').getByLabel('client_secret').fill('typed-secret-value');
  const build = page.getByRole('button', { name: 'Build authorize URL' });
  // Where the button sits in the page (the click may scroll the window, not the page).
  const top = () => build.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
  const before = await top();
  await build.click();
  await expect(page.getByTestId('authorize-url')).toContainText('/sim/oauth2/authorize?');
  // The Remember option is there for the typed secret, and nothing above the button moved.
  await expect(page.getByLabel(/Remember the typed secret/)).toBeVisible();
  expect(await top()).toBe(before);
});

test('a disabled Check token button is not announced as enabled', async ({ page }) => {
  await openDebugger(page);
  const button = step(page, 'Check any token').getByRole('button', { name: 'Check token' });
  await expect(button).toBeDisabled();
  await expect(button).not.toHaveAttribute('aria-disabled', 'false');
  // No control anywhere says aria-disabled="false" while it is disabled.
  await expect(page.locator('[disabled][aria-disabled="false"]')).toHaveCount(0);
});

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test.describe('at 390 px wide', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the page and the flow diagram fit, and field tables restack', async ({ page }) => {
    await authorizeHere(page);
    await exchangeCode(page);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // The diagram scales to the card instead of scrolling sideways.
    const diagram = page.getByRole('group', { name: 'Flow diagram' });
    const fits = await diagram.evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);

    // Each field is a card: its value on a line of its own, the fingerprint not cut mid-word.
    const table = page.getByTestId('token-fields');
    const scroller = await table.evaluate((t) => {
      const wrap = t.parentElement!;
      return wrap.scrollWidth - wrap.clientWidth;
    });
    expect(scroller).toBeLessThanOrEqual(0);
    const code = table.locator('tr[data-field="access_token"] code').first();
    const box = await code.boundingBox();
    const lineHeight = await code.evaluate((c) => parseFloat(getComputedStyle(c).lineHeight));
    expect(box!.height).toBeLessThan(lineHeight * 1.6);
  });
});
