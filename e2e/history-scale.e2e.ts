import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page, test } from '@playwright/test';
import { COUNT_HISTORY_READS, historyReads, openDebugger, step } from './helpers.ts';
import { seedHistory } from './seedHistory.ts';

/** The History panel with 10,000 entries: every one reachable, few in the page, one read a page. */

const N = 10_000;

function box(page: Page) {
  return step(page, 'History').getByRole('region', { name: /^History, 10000 entries/ });
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(COUNT_HISTORY_READS);
  await openDebugger(page);
  await seedHistory(page, N);
  await expect(step(page, 'History')).toContainText(`${N} entries`);
});

test('10,000 entries: the keyboard reaches the oldest, a screen reader hears where it is', async ({
  page,
}) => {
  const table = step(page, 'History').getByRole('table');
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 1));
  await expect(table.getByRole('row', { name: /entry 9999\b/ })).toHaveAttribute(
    'aria-rowindex',
    '2',
  );
  // Only what is in sight (and a few around it) is in the page.
  expect(await table.locator('tbody tr').count()).toBeLessThan(40);

  // The box is in the tab order; End goes to the oldest entry.
  await box(page).focus();
  await expect(box(page)).toBeFocused();
  await page.keyboard.press('End');
  const oldest = table.getByRole('row', { name: /entry 0\b/ });
  await expect(oldest).toBeInViewport({ timeout: 15_000 });
  await expect(oldest).toHaveAttribute('aria-rowindex', String(N + 1));
  await expect(oldest.getByRole('cell').nth(1)).toHaveText('Exchange');
  await expect(oldest.getByRole('cell').nth(2)).toHaveText('failed 400 invalid_grant');
  await expect(box(page)).toBeFocused();
  expect(await table.locator('tbody tr').count()).toBeLessThan(40);

  // Arrow keys move through the rows as they come into sight; Home goes back to the newest.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('PageUp');
  await expect(table.getByRole('row', { name: /entry 10\b/ })).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(table.getByRole('row', { name: /entry 9999\b/ })).toBeInViewport();
  await expect(box(page)).toBeFocused();

  // Every history page was read once: loading more never re-read what was loaded.
  const reads = await historyReads(page);
  const pages = Object.entries(reads).filter(([k]) => !k.endsWith(':meta'));
  expect(pages).toHaveLength(N / 250);
  expect(pages.every(([, times]) => times === 1)).toBe(true);
});

test('10,000 entries: the mouse wheel scrolls to the oldest, loading one page at a time', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const table = step(page, 'History').getByRole('table');
  await box(page).scrollIntoViewIfNeeded();
  await box(page).hover();
  const oldest = table.getByRole('row', { name: /entry 0\b/ });
  let pagesRead = 0;
  for (let i = 0; i < 400 && !(await oldest.isVisible()); i++) {
    await page.mouse.wheel(0, 8000);
    // Each read is one more page (250 entries), never the whole prefix again.
    const reads = Object.entries(await historyReads(page)).filter(([k]) => !k.endsWith(':meta'));
    expect(reads.every(([, times]) => times === 1)).toBe(true);
    expect(reads.length).toBeGreaterThanOrEqual(pagesRead);
    pagesRead = reads.length;
  }
  // In the page (among the few rows around what is in sight): a last turn of the wheel shows it.
  await page.mouse.wheel(0, 8000);
  await expect(oldest).toBeInViewport();
  await expect(oldest).toHaveAttribute('aria-rowindex', String(N + 1));
  const reads = Object.entries(await historyReads(page)).filter(([k]) => !k.endsWith(':meta'));
  expect(reads).toHaveLength(N / 250);
  expect(reads.every(([, times]) => times === 1)).toBe(true);
});

test('10,000 entries: the report summarises them, its JSON download carries every one', async ({
  page,
}) => {
  const card = step(page, 'Support report');
  await card.getByRole('button', { name: 'Build report' }).click();
  const preview = page.getByTestId('report-preview');
  await expect(preview).toContainText(`The history has ${N} steps.`);
  await expect(preview).toContainText('### The last 50 steps');
  await expect(preview).toContainText('### Failures, by error');
  // The newest entry is listed, the oldest only counted.
  await expect(preview).toContainText('entry 9999');
  expect((await preview.textContent())?.includes('| entry 0 |')).toBe(false);
  const downloading = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Download JSON' }).click();
  const file = await (await downloading).path();
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    steps: Array<{ note: string }>;
    summary: { steps: number };
  };
  expect(json.steps).toHaveLength(N);
  expect(json.summary.steps).toBe(N);
  expect(json.steps[0]?.note).toBe('entry 0');

  // The first report counted the pages once (a history from before tallies) and stored the tally:
  // the next one reads it and the newest page only, not the 40 pages again.
  const reads = async (which: RegExp) =>
    Object.entries(await historyReads(page))
      .filter(([k]) => which.test(k))
      .reduce((sum, [, times]) => sum + times, 0);
  const [pages, tallies] = [await reads(/:\d+$/), await reads(/:tally$/)];
  await card.getByRole('button', { name: 'Build report' }).click();
  await expect.poll(() => reads(/:tally$/)).toBe(tallies + 1);
  expect((await reads(/:\d+$/)) - pages).toBe(1);
});

test.describe('axe', () => {
  // axe is injected as an inline script: only here is the page's CSP bypassed.
  test.use({ bypassCSP: true });

  test('10,000 entries, scrolled to the middle: no serious or critical axe violation', async ({
    page,
  }) => {
    await box(page).focus();
    await box(page).evaluate((el) => el.scrollBy(0, el.scrollHeight / 2));
    const table = step(page, 'History').getByRole('table');
    await expect(table.getByRole('row', { name: /entry \d+/ }).first()).toBeVisible();
    await expect(table.getByText('Loading…')).toHaveCount(0, { timeout: 15_000 });
    await page.addScriptTag({
      path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    });
    const violations = (await page.evaluate(`axe
      .run('#history', { resultTypes: ['violations'] })
      .then((r) => r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
    expect(violations).toEqual([]);
  });
});
