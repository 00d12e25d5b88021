import { expect, test } from '@playwright/test';
import { openTraffic } from './helpers.ts';

/**
 * The Traffic section when more calls come than it can list. Runs alone, after every other spec
 * (see playwright.config.ts): its burst of calls would push other tests' rows out of their views.
 */

test('more calls than the view can list: it says how many earlier ones it does not list', async ({
  page,
  baseURL,
}) => {
  const { mark, rows } = await openTraffic(page);
  // Alone on the server (see above): what other specs captured is cleared first.
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('traffic-status')).toContainText('0 calls');
  await page.getByRole('button', { name: 'Pause' }).click();
  // 1,010 calls while paused: the view holds the newest 1,000 (as the server's ring keeps).
  const call = () =>
    fetch(`${baseURL}/public/v1/no-such-endpoint`, {
      headers: { 'User-Agent': `curl/8.5.0 ${mark}` },
    }).then((res) => res.status);
  for (let sent = 0; sent < 1010; sent += 50) {
    const statuses = await Promise.all(Array.from({ length: Math.min(50, 1010 - sent) }, call));
    expect(new Set(statuses)).toEqual(new Set([404]));
  }
  await expect(page.getByRole('button', { name: /Resume \(1000 new\)/ })).toBeVisible();
  await page.getByRole('button', { name: /Resume/ }).click();
  await expect(page.getByTestId('traffic-status')).toContainText('1,000 calls');
  const notListed = page.getByTestId('traffic-not-listed');
  // The first 10 of them: the view kept the newest 1,000 while paused.
  await expect(notListed).toHaveText('10 earlier calls not listed');
  await expect(page.getByTestId('traffic-status')).toContainText(
    'the server keeps the last 1,000, and this view lists the last 1,000',
  );
  await expect(rows.first()).toContainText('GET /public/v1/no-such-endpoint');
  // The table draws the newest 100 of them; Show more draws 100 more.
  const more = page.getByTestId('traffic-more');
  await expect(more).toContainText('Showing the newest 100 of 1,000 calls.');
  await expect(rows).toHaveCount(100);
  await more.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(rows).toHaveCount(200);
  await expect(more).toContainText('Showing the newest 200 of 1,000 calls.');
});
