import { expect, test } from '@playwright/test';
import { scrollable } from '../src/lib/scrollable.ts';

/**
 * The scrollable action in a real browser (it measures layout, which only a browser has): a box is
 * in the tab order while its content overflows, and follows its text, its child's size and its
 * own size as they change.
 */
test('a box is in the tab order only while its content overflows', async ({ page }) => {
  await page.setContent(
    '<div id="box" style="width: 200px; height: 60px; overflow: auto">' +
      '<div id="child" style="width: 100px">cell</div></div>' +
      '<pre id="pre" style="width: 200px; overflow: auto; margin: 0">short</pre>',
  );
  await page.evaluate(`window.scrollable = ${scrollable.toString()}`);
  await page.evaluate(() => {
    const w = window as unknown as { scrollable: (n: HTMLElement) => unknown };
    w.scrollable(document.getElementById('box')!);
    w.scrollable(document.getElementById('pre')!);
  });
  const box = page.locator('#box');
  const pre = page.locator('#pre');
  await expect(box).not.toHaveAttribute('tabindex');
  await expect(pre).not.toHaveAttribute('tabindex');

  // Text changing inside (no size changes): measured once the next frame is drawn.
  await pre.evaluate((el) => (el.firstChild!.textContent = 'x'.repeat(200)));
  await expect(pre).toHaveAttribute('tabindex', '0');
  await pre.evaluate((el) => (el.firstChild!.textContent = 'short'));
  await expect(pre).not.toHaveAttribute('tabindex');

  // The first child growing past the box (a table taking rows), then the box growing to fit it.
  await page.locator('#child').evaluate((el) => (el.style.width = '500px'));
  await expect(box).toHaveAttribute('tabindex', '0');
  await box.evaluate((el) => (el.style.width = '600px'));
  await expect(box).not.toHaveAttribute('tabindex');
  await page.locator('#child').evaluate((el) => (el.style.height = '200px'));
  await expect(box).toHaveAttribute('tabindex', '0');
});
