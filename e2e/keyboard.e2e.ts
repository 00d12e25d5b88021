import { expect, type Locator, type Page, test } from '@playwright/test';
import { expectCodeCapturedWithState, HEX40, openDebugger, step } from './helpers.ts';

/**
 * The whole flow with a keyboard only: Tab, Shift+Tab, Enter, Space and typing; no click.
 * Every control reached shows a visible focus indicator.
 */

/** Whether the element has focus. */
function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement).catch(() => false);
}

/** Presses Tab (or Shift+Tab) until `target` has focus, then checks the focus is visible. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < 200 && !(await isFocused(target)); presses++) {
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
  await expectVisibleFocus(target);
}

/** A keyboard-focused control matches :focus-visible and draws a real outline. */
async function expectVisibleFocus(target: Locator): Promise<void> {
  const ring = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      focusVisible: el.matches(':focus-visible'),
      style: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      color: style.outlineColor,
    };
  });
  expect(ring.focusVisible).toBe(true);
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  expect(ring.color).not.toBe('rgba(0, 0, 0, 0)');
}

test('the whole flow with the keyboard only: authorize, consent, exchange, reveal, use, refresh', async ({
  page,
  baseURL,
}) => {
  await openDebugger(page);

  // Step 2.
  const build = page.getByRole('button', { name: 'Build authorize URL' });
  await tabTo(page, build);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('authorize-url')).toContainText('/sim/oauth2/authorize?');
  await expect(build).toBeFocused();

  // Open here → the simulator's consent screen → Authorize.
  await tabTo(page, page.getByRole('link', { name: 'Open here' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Authorize Application' })).toBeVisible();
  const authorize = page.getByRole('button', { name: 'Authorize', exact: true });
  await tabTo(page, authorize);
  // Deny is one Tab further, and Shift+Tab comes back.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Deny', exact: true })).toBeFocused();
  await tabTo(page, authorize, 'Shift+Tab');
  await page.keyboard.press('Enter');

  // Back on the app: the code is captured and focus lands on step 3, which shows it.
  await expect(page).toHaveURL(`${baseURL}/`);
  await expectCodeCapturedWithState(page);
  await expect(step(page, 'Code')).toBeFocused();

  // Step 4.
  const exchange = page.getByRole('button', { name: 'Exchange code for tokens' });
  await tabTo(page, exchange);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  await expect(page.getByTestId('token-fields')).toBeVisible();
  // The button stays where it was (now "Send the used code again") and keeps the focus.
  await expect(page.getByRole('button', { name: 'Send the used code again' })).toBeFocused();

  // Step 5: reveal the access token with Space, hide it with Enter.
  const accessRow = page.getByTestId('token-fields').locator('tr[data-field="access_token"]');
  await tabTo(page, accessRow.getByRole('button', { name: 'Reveal access_token' }));
  await page.keyboard.press('Space');
  await expect(accessRow.locator('code[data-revealed="true"]')).toHaveText(HEX40);
  const hide = accessRow.getByRole('button', { name: 'Hide access_token' });
  await expect(hide).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(accessRow.locator('code[data-revealed="false"]')).toBeVisible();

  // Step 6.
  const use = page.getByRole('button', { name: 'Call members/current' });
  await tabTo(page, use);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('member-summary')).toContainText('This token belongs to Dana Demo');
  await expect(page.getByTestId('verify-call-status')).toHaveText('200 OK');
  await expect(use).toBeFocused();

  // Step 7.
  const refresh = page.getByRole('button', { name: 'Refresh tokens' });
  await tabTo(page, refresh);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('refresh-call-status')).toHaveText('200 OK');
  await expect(page.getByTestId('old-access-status')).toHaveText('rejected (401): no longer works');
  await expect(page.getByTestId('old-refresh-status')).toHaveText(
    'rejected (invalid_grant): no longer works',
  );
  await expect(step(page, 'Refresh')).toContainText('rotated');
  await expect(refresh).toBeFocused();

  // Shift+Tab walks back up the page: to step 6's button, then down again.
  await tabTo(page, use, 'Shift+Tab');
  await tabTo(page, refresh);
});

test('pasting a redirect URL by keyboard: typed, submitted with Enter, focus on the step', async ({
  page,
}) => {
  await openDebugger(page);
  const box = page.getByLabel('Paste a code or the whole redirect URL');
  await tabTo(page, box);
  await page.keyboard.type('a'.repeat(40));
  await tabTo(page, page.getByRole('button', { name: 'Use this' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('code-value')).toBeVisible();
  await expect(box).toHaveValue('');
  // "Use this" is disabled again with the box empty; focus is kept on step 3, not lost.
  await expect(step(page, 'Code')).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Reveal authorization code' }));
});

test('the section links move focus to their section', async ({ page }) => {
  await openDebugger(page);
  // Loaded, though closed: a link to a closed panel opens it.
  await expect(step(page, 'Simulator settings').getByTestId('sim-clock')).toBeAttached();
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const [link, title] of [
    ['Check a token', 'Check any token'],
    ['History', 'History'],
    ['Support report', 'Support report'],
    ['Failure drills', 'Failure drills'],
    ['Simulator', 'Simulator settings'],
    ['The flow', 'Profile'],
  ] as const) {
    await tabTo(page, nav.getByRole('link', { name: link, exact: true }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    const section = step(page, title);
    await expect(section).toBeFocused();
    await expect(section).toBeInViewport();
    // The next Tab goes on from there: into the section, or past it when it has no control.
    await page.keyboard.press('Tab');
    expect(
      await section.evaluate(
        (el) =>
          el.contains(document.activeElement) ||
          !!(
            el.compareDocumentPosition(document.activeElement!) & Node.DOCUMENT_POSITION_FOLLOWING
          ),
      ),
    ).toBe(true);
  }
});

test('"Why this step?" opens with Enter and its links are reachable', async ({ page }) => {
  await openDebugger(page);
  const why = step(page, 'Authorize').getByText('Why this step?');
  await tabTo(page, why);
  await page.keyboard.press('Enter');
  const details = step(page, 'Authorize').locator('details.why');
  await expect(details).toHaveAttribute('open', '');
  await page.keyboard.press('Tab');
  await expectVisibleFocus(page.locator(':focus'));
  expect(await details.evaluate((el) => el.contains(document.activeElement))).toBe(true);
});

test('a failure drill started and ended by keyboard keeps the focus in its panel', async ({
  page,
}) => {
  await openDebugger(page);
  const panel = step(page, 'Failure drills');
  // The panel starts closed: open it from its heading.
  const toggle = panel.getByRole('button', { name: 'Failure drills', exact: true });
  await tabTo(page, toggle);
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  // This drill changes only this browser's profile.
  await tabTo(page, panel.getByRole('button', { name: 'Start drill: Bad scope name' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('active-drill')).toContainText('names the cause');
  await expect(panel.getByRole('button', { name: 'Restart drill: Bad scope name' })).toBeFocused();
  await tabTo(page, panel.getByRole('button', { name: 'End drill' }), 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('active-drill')).toBeHidden();
  await expect(panel).toBeFocused();
});
