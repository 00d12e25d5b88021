import { createRequire } from 'node:module';
import { expect, type Page, test } from '@playwright/test';
import {
  authorizeHere,
  authorizeOnSimulator,
  buildAuthorizeUrl,
  exchangeCode,
  openDebugger,
  openPanel,
  pasteCallback,
  revealField,
  step,
} from './helpers.ts';

/**
 * Access for everyone: axe-core on every screen and state of the app and of the simulator's
 * pages, in light and dark, with zero serious or critical violations allowed (contrast included).
 */

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// The pages' CSP is script-src 'self': axe is injected as an inline script, so only this spec
// bypasses it.
test.use({ bypassCSP: true });

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Runs axe on the page as it is now and fails with every serious or critical violation listed. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const { violations, ran } = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: unknown[]; passes: { id: string }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return { violations: result.violations, ran: result.passes.map((p) => p.id) };
  });
  const serious = (violations as AxeViolation[]).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  // Contrast is judged, not skipped (passes or fails, it must have run).
  expect(
    ran.includes('color-contrast') ||
      (violations as AxeViolation[]).some((v) => v.id === 'color-contrast'),
  ).toBe(true);
  const report = serious
    .map(
      (v) =>
        `• ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
        v.nodes
          .slice(0, 8)
          .map(
            (n) =>
              `    - ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n');
  expect.soft(serious.length, `axe on ${where}:\n${report}`).toBe(0);
}

/** Opens every "Why this step?" and other closed disclosure on the page. */
async function openAllDetails(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${colorScheme}`, () => {
    test.use({ colorScheme });

    test('fresh app, every panel, every "Why this step?" open', async ({ page }) => {
      await openDebugger(page);
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
        colorScheme === 'dark',
      );
      // The tool panels start closed: axe looks at them open.
      await openPanel(page, 'Failure drills');
      await (await openPanel(page, 'Simulator settings')).getByTestId('sim-clock').waitFor();
      await expectAccessible(page, 'the fresh app');
      await openAllDetails(page);
      await expect(page.getByText('Why this step?').first()).toBeVisible();
      await expectAccessible(page, 'the fresh app with every disclosure open');
    });

    test('the whole flow: authorize, consent, capture, exchange, use, refresh, history, report', async ({
      page,
    }) => {
      await openDebugger(page);
      await buildAuthorizeUrl(page);
      await expectAccessible(page, 'step 2 after Build authorize URL');

      await page.getByRole('link', { name: 'Open here' }).click();
      await expect(page.getByRole('heading', { name: 'Authorize Application' })).toBeVisible();
      await expectAccessible(page, "the simulator's consent page");
      await authorizeOnSimulator(page);
      await expect(page.getByTestId('state-check')).toContainText('matches');
      await expectAccessible(page, 'the app after the callback captured the code');

      await exchangeCode(page);
      await page
        .getByTestId('token-fields')
        .locator('tr[data-field="access_token"]')
        .getByRole('button', { name: 'Reveal access_token' })
        .click();
      await expectAccessible(page, 'tokens shown, access_token revealed');

      await page.getByRole('button', { name: 'Call members/current' }).click();
      await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
      await expectAccessible(page, 'after Use (members/current)');

      await page.getByRole('button', { name: 'Refresh tokens' }).click();
      await expect(page.getByTestId('old-refresh-status')).toContainText('no longer works');
      await expectAccessible(page, 'after Refresh (rotation table)');

      await expect(page.getByTestId('history').locator('tbody tr').first()).toBeVisible();
      await page.getByRole('button', { name: 'Build report' }).click();
      await expect(page.getByTestId('report-preview')).toBeVisible();
      await openAllDetails(page);
      await expectAccessible(page, 'history with entries, report preview, every detail open');
    });

    test("the simulator's error page (bad scope)", async ({ page }) => {
      await openDebugger(page);
      const url = new URL(await buildAuthorizeUrl(page));
      url.searchParams.set('scope', 'read openid');
      await page.goto(url.href);
      await expect(page.getByRole('heading', { name: 'Authorization error' })).toBeVisible();
      await expectAccessible(page, "the simulator's error page");
    });

    test('error states: garbage pasted, then a reused code diagnosed', async ({ page }) => {
      await openDebugger(page);
      await pasteCallback(page, 'hello world');
      await expect(page.getByTestId('callback-error')).toHaveAttribute('data-code', 'garbage');
      await expectAccessible(page, 'step 3 with garbage pasted');

      await authorizeHere(page);
      await exchangeCode(page);
      await page.getByRole('button', { name: 'Send the used code again' }).click();
      await expect(page.getByTestId('exchange-error')).toHaveAttribute('data-rule', 'code_reused');
      await openAllDetails(page);
      await expectAccessible(page, 'the reused-code diagnosis');
    });

    test('Check any token: a result', async ({ page }) => {
      await authorizeHere(page);
      await exchangeCode(page);
      const token = await revealField(page.getByTestId('token-fields'), 'access_token');
      const panel = step(page, 'Check any token');
      await panel.getByLabel('Access token').fill(token);
      await panel.getByRole('button', { name: 'Check token' }).click();
      await expect(panel.getByTestId('check-result')).toContainText('Works');
      await expectAccessible(page, 'Check any token with a result');
      await panel.getByLabel('Access token').fill('not a token');
      await expectAccessible(page, 'Check any token with a bad paste');
    });

    test('Failure drills: a drill running, its diagnosis named', async ({ page }) => {
      await openDebugger(page);
      // Changes only this browser's profile, not the shared simulator.
      const drills = await openPanel(page, 'Failure drills');
      await drills.getByRole('button', { name: 'Start drill: Bad scope name' }).click();
      await expect(page.getByTestId('active-drill')).toContainText('names the cause');
      await expectAccessible(page, 'the drills panel with a drill running');
    });
  });
}

test.describe('axe, narrow (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`fresh app and after exchange, ${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await openDebugger(page);
      await expectAccessible(page, `the fresh app, narrow, ${colorScheme}`);
      await authorizeHere(page);
      await exchangeCode(page);
      await expectAccessible(page, `after exchange, narrow, ${colorScheme}`);
    });
  }
});
