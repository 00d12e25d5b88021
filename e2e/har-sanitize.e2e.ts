import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_DIR, findSecret, secretsOf } from '../src/lib/har/testSecrets.ts';
import { checkHar } from '../src/lib/har/validate.ts';

/**
 * The sanitized HAR, end to end in the browser: a recorded customer HAR is dropped into Diagnose
 * evidence, "Download sanitized HAR" writes a file with no secret in any form, and that file,
 * read back by the same section, is a HAR that tells the same story.
 */

const FIXTURE = 'customer-double-callback.chromium.har';

function section(page: Page) {
  return page.getByRole('region', { name: 'Diagnose evidence', exact: true });
}

async function readEvidence(page: Page, file: { name: string; buffer: Buffer }) {
  await section(page)
    .getByLabel('Evidence file (HAR, JSON or text)')
    .setInputFiles({ ...file, mimeType: 'application/json' });
  const result = section(page).getByTestId('evidence-result');
  await expect(result).toBeVisible({ timeout: 15_000 });
  return result;
}

async function downloadSanitized(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await section(page).getByRole('button', { name: 'Download sanitized HAR' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(FIXTURE.replace(/\.har$/, '.sanitized.har'));
  const path = await file.path();
  return readFileSync(path, 'utf8');
}

test('a customer HAR, sanitized in the browser, has no secret left and reads back the same', async ({
  page,
}) => {
  const original = readFileSync(join(FIXTURE_DIR, FIXTURE), 'utf8');
  const secrets = [...secretsOf('customer-double-callback', original)];
  expect(secrets.length).toBeGreaterThanOrEqual(6);
  await page.goto('/');

  const first = await readEvidence(page, { name: FIXTURE, buffer: Buffer.from(original) });
  await expect(first.getByRole('heading', { name: '1 problem found', exact: true })).toBeVisible();
  await expect(first.getByRole('heading', { name: /^Problem: The same code was/ })).toBeVisible();
  const story = await first.getByTestId('evidence-detected').textContent();
  expect(story).toContain('22 entries');

  const sanitized = await downloadSanitized(page);
  await expect(section(page).getByText(/secret values replaced/)).toBeVisible();
  for (const secret of secrets) expect(findSecret(sanitized, secret), secret).toBeNull();
  expect(checkHar(JSON.parse(sanitized))).toMatchObject({ ok: true, issues: [] });

  // Read the sanitized file back: still a HAR, the same entries, the same problem.
  const again = await readEvidence(page, {
    name: 'customer-double-callback.sanitized.har',
    buffer: Buffer.from(sanitized),
  });
  await expect(again.getByRole('heading', { name: '1 problem found', exact: true })).toBeVisible();
  await expect(again.getByRole('heading', { name: /^Problem: The same code was/ })).toBeVisible();
  await expect(again.getByTestId('evidence-detected')).toContainText('22 entries');
  await expect(section(page).getByTestId('evidence-error')).toHaveCount(0);
});

test('a HAR with a secret the sanitizer cannot remove: no file, and the place is named', async ({
  page,
}) => {
  const har = JSON.parse(readFileSync(join(FIXTURE_DIR, FIXTURE), 'utf8'));
  // The exchanged code, hidden in base64 at an offset inside a vendor field (see sanitize.test.ts).
  const exchange = har.log.entries.find((e: { request: { url: string; method: string } }) =>
    e.request.url.endsWith('/oauth2/access_token'),
  );
  const code = new URLSearchParams(exchange.request.postData.text).get('code') ?? '';
  expect(code).toMatch(/^[0-9a-f]{40}$/);
  har.log.entries[0]._debugTrace = Buffer.from(
    `grant_type=authorization_code&code=${code}&retry=1`,
  ).toString('base64');
  await page.goto('/');
  await readEvidence(page, { name: 'hidden.har', buffer: Buffer.from(JSON.stringify(har)) });

  let downloaded = false;
  page.on('download', () => (downloaded = true));
  await section(page).getByRole('button', { name: 'Download sanitized HAR' }).click();
  const alert = section(page).getByRole('alert');
  await expect(alert).toContainText('The sanitized HAR was not written.');
  await expect(alert).toContainText('authorization code (base64) at log.entries[0]._debugTrace');
  expect(await alert.textContent()).not.toContain(code);
  expect(downloaded).toBe(false);
});
