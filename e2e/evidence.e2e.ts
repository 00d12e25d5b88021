import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDebugger } from './helpers.ts';

const FIXTURES = new URL('./fixtures/har/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const SHOTS = process.env.EVIDENCE_SHOTS;

function section(page: Page) {
  return page.getByRole('region', { name: 'Diagnose evidence' });
}

test('choose a HAR file: which call failed, why, and the entries it rests on', async ({ page }) => {
  await openDebugger(page);
  const ev = section(page);
  await page.getByRole('link', { name: 'Diagnose evidence' }).click();
  await ev
    .getByLabel('Evidence file (HAR, JSON or text)')
    .setInputFiles(fixture('customer-double-callback.chromium.har'));

  await expect(ev.getByRole('heading', { name: '1 problem found' })).toBeVisible();
  await expect(ev.getByTestId('evidence-detected')).toContainText(
    'Read a HAR file (HAR 1.2 from Playwright',
  );
  await expect(ev.getByTestId('evidence-detected')).toContainText('15 unrelated entries set aside');
  const problem = ev.getByRole('listitem').filter({
    has: page.getByRole('heading', { name: 'Problem: The same code was exchanged 2 times' }),
  });
  await expect(problem).toContainText('The callback page was loaded more than once');
  await expect(problem).toContainText('What to do: Keep the tokens from the exchange that worked.');

  // An entry link takes the keyboard to that row of the timeline.
  const timeline = ev.getByRole('table', { name: /Timeline/ });
  await expect(timeline.getByRole('row')).toHaveCount(8);
  await problem.getByRole('link', { name: 'entry 21 of the timeline' }).click();
  const row = timeline.getByRole('row', { name: /^21 / });
  await expect(row).toBeFocused();
  await expect(row).toContainText('400 invalid_grant');
  if (SHOTS) {
    await ev.screenshot({ path: `${SHOTS}/har-light.png` });
  }

  // The sanitized HAR: downloaded, none of the recording's secrets in it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ev.getByRole('button', { name: 'Download sanitized HAR' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('customer-double-callback.chromium.sanitized.har');
  const text = readFileSync(await download.path(), 'utf8');
  const secrets = JSON.parse(readFileSync(fixture('secrets.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  for (const s of secrets['customer-double-callback'] ?? []) expect(text).not.toContain(s);
  expect((JSON.parse(text) as { log: { entries: unknown[] } }).log.entries).toHaveLength(22);
  await expect(
    ev.getByText(
      /^Saved customer-double-callback\.chromium\.sanitized\.har: \d+ secret values replaced\.$/,
    ),
  ).toBeVisible();
});

test('drop a HAR file on the drop zone', async ({ page }) => {
  await openDebugger(page);
  const ev = section(page);
  const content = readFileSync(fixture('customer-refresh-race.chromium.har'), 'utf8');
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'race.har', { type: 'application/json' }));
    return dt;
  }, content);
  await ev.getByTestId('evidence-drop').dispatchEvent('drop', { dataTransfer: data });
  await expect(ev.getByRole('heading', { name: '2 problems found' })).toBeVisible();
  await expect(
    ev.getByRole('heading', { name: 'Problem: Two refreshes raced with the same refresh token' }),
  ).toBeVisible();
  await expect(
    ev.getByRole('heading', {
      name: 'Problem: An access token was used after the refresh that replaced it',
    }),
  ).toBeVisible();
});

test('paste an SDK error; bad input gets a specific message', async ({ page }) => {
  await openDebugger(page);
  const ev = section(page);
  const paste = ev.getByRole('textbox', { name: 'Or paste the evidence' });
  await paste.fill(
    'ApiException [Error]: HTTP-Code: 400\nMessage: Bad Request\nBody: {"error":"invalid_grant"}\nHeaders: {"content-type":"application/json","date":"Mon, 06 Jan 2025 10:31:05 GMT"}\n    at OAuth20AuthenticationApiResponseProcessor.accessToken (dist/apis/OAuth20AuthenticationApi.js:79:19)',
  );
  await ev.getByRole('button', { name: 'Diagnose' }).click();
  await expect(ev.getByTestId('evidence-detected')).toContainText(
    'Read an error printed by the pandadoc-node-client SDK (HTTP 400 “Bad Request”)',
  );
  await expect(
    ev.getByRole('heading', {
      name: 'Problem: PandaDoc refused the code or refresh token (invalid_grant)',
    }),
  ).toBeVisible();
  if (SHOTS) await ev.screenshot({ path: `${SHOTS}/sdk-light.png` });

  await paste.fill('hello, my integration is broken');
  await ev.getByRole('button', { name: 'Diagnose' }).click();
  await expect(ev.getByRole('alert')).toContainText('That paste could not be read.');
  await expect(ev.getByRole('alert')).toContainText('none of the accepted forms');

  await ev.getByLabel('Evidence file (HAR, JSON or text)').setInputFiles({
    name: 'not-a-har.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"users": [1, 2]}'),
  });
  await expect(ev.getByRole('alert')).toContainText(
    'not-a-har.json could not be read. This is JSON, but neither a HAR (no "log")',
  );
});

test('a large HAR is read in a worker, with progress, and nothing is sent anywhere', async ({
  page,
}) => {
  // How long the main thread is busy meanwhile is measured by the HAR benchmark (npm run bench).
  test.setTimeout(90_000);
  const { generateHar } = await import('../bench/har.bench.ts');
  const dir = mkdtempSync(join(tmpdir(), 'evidence-e2e-'));
  const file = join(dir, 'big.har');
  writeFileSync(file, generateHar(30 * 2 ** 20, 6_000));
  try {
    // The page's own start-up call (the simulator panel reads its settings, once its chunk has
    // loaded) is not the reading's: it is awaited before listening.
    const startUp = page.waitForResponse((r) => new URL(r.url()).pathname === '/sim/_control');
    await openDebugger(page);
    await startUp;
    const ev = section(page);
    const sent: string[] = [];
    page.on('request', (r) => {
      // Loading the worker's own script is the one request allowed.
      if (r.method() !== 'GET' || !new URL(r.url()).pathname.startsWith('/assets/'))
        sent.push(`${r.method()} ${r.url()}`);
    });
    await ev.getByLabel('Evidence file (HAR, JSON or text)').setInputFiles(file);
    await expect(ev.getByRole('progressbar', { name: 'Reading big.har' })).toBeVisible();
    await expect(ev.getByRole('heading', { name: '1 problem found' })).toBeVisible({
      timeout: 80_000,
    });
    await expect(ev.getByTestId('evidence-detected')).toContainText(
      /6000 entries, 3\d\.\d MB\): 305 steps/,
    );
    expect(sent).toEqual([]);
    // 305 steps: rendered 100 at a time.
    const rows = ev.getByRole('table', { name: /Timeline/ }).getByRole('row');
    await expect(rows).toHaveCount(101);
    await ev.getByRole('button', { name: 'Show 100 more steps (205 not shown)' }).click();
    await expect(rows).toHaveCount(201);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 1 GB file is refused by its size, before a byte is read', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'evidence-e2e-'));
  const file = join(dir, 'huge.har');
  writeFileSync(file, '');
  truncateSync(file, 2 ** 30); // sparse: no gigabyte written to disk
  try {
    await openDebugger(page);
    const ev = section(page);
    await ev.getByLabel('Evidence file (HAR, JSON or text)').setInputFiles(file);
    await expect(ev.getByRole('alert')).toContainText(
      'huge.har could not be read. This file is 1.0 GB; the limit is 300.0 MB, and it was not read.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the support report carries the evidence diagnosis, fingerprints only', async ({ page }) => {
  await openDebugger(page);
  const ev = section(page);
  await ev
    .getByLabel('Evidence file (HAR, JSON or text)')
    .setInputFiles(fixture('customer-refresh-race.chromium.har'));
  await expect(ev.getByRole('heading', { name: '2 problems found' })).toBeVisible();
  const report = page.getByRole('region', { name: 'Support report' });
  await report.getByRole('button', { name: 'Build report' }).click();
  const preview = report.getByTestId('report-preview');
  await expect(preview).toContainText('## Evidence diagnosis');
  await expect(preview).toContainText(
    '#### Error: Two refreshes raced with the same refresh token',
  );
  const text = (await preview.textContent()) ?? '';
  const secrets = JSON.parse(readFileSync(fixture('secrets.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  for (const s of secrets['customer-refresh-race'] ?? []) expect(text).not.toContain(s);
});

test.describe('axe on the evidence section', () => {
  // The pages' CSP is script-src 'self': axe is injected as an inline script.
  test.use({ bypassCSP: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`a diagnosis, ${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await openDebugger(page);
      const ev = section(page);
      await ev
        .getByLabel('Evidence file (HAR, JSON or text)')
        .setInputFiles(fixture('customer-double-callback.chromium.har'));
      await expect(ev.getByRole('heading', { name: '1 problem found' })).toBeVisible();
      await page.evaluate(() => {
        for (const d of document.querySelectorAll('#evidence details'))
          (d as HTMLDetailsElement).open = true;
      });
      await page.addScriptTag({
        path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
      });
      const serious = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                c: object,
                o: object,
              ) => Promise<{
                violations: Array<{
                  id: string;
                  impact: string | null;
                  nodes: Array<{ target: unknown }>;
                }>;
              }>;
            };
          }
        ).axe;
        const r = await axe.run({ include: [['#evidence']] }, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      });
      expect(serious).toEqual([]);
    });
  }
});
