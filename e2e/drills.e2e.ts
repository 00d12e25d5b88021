import { expect, type Page, test } from '@playwright/test';
import {
  authorizeHere,
  buildAuthorizeUrl,
  denyOnSimulator,
  exchangeCode,
  openDebugger,
  openPanel,
  step,
} from './helpers.ts';

/**
 * Every failure drill, run from the Failure drills panel the way a learner would: start it, run
 * the flow into it, and check the diagnosis names the cause. Drills move the shared simulator, so
 * this file has its own Playwright project, after the others, one test at a time.
 */
test.describe.configure({ mode: 'serial' });

test.afterEach(async ({ request }) => {
  expect((await request.post('/sim/_control/reset')).status()).toBe(200);
});

async function startDrill(page: Page, title: string): Promise<void> {
  const drills = await openPanel(page, 'Failure drills');
  await drills.getByRole('button', { name: `Start drill: ${title}` }).click();
  await expect(page.getByTestId('active-drill')).toContainText(`Drill: ${title}.`);
}

/** The drill panel agrees the step now names the cause; then the drill is ended. */
async function expectNamedAndEnd(page: Page, rule: string): Promise<void> {
  const banner = page.getByTestId('active-drill');
  await expect(banner).toContainText('names the cause');
  await expect(banner).toContainText(rule);
  await banner.getByRole('button', { name: 'End drill' }).click();
  await expect(banner).toHaveCount(0);
}

function diagnosis(page: Page, testid: string, rule: string) {
  return page.locator(`[data-testid="${testid}"][data-rule="${rule}"]`);
}

test('drill: reused code', async ({ page }) => {
  await authorizeHere(page);
  await startDrill(page, 'Reused code');
  await exchangeCode(page);
  await page.getByRole('button', { name: 'Send the used code again' }).click();
  await expect(diagnosis(page, 'exchange-error', 'code_reused')).toContainText(
    'This code was already exchanged',
  );
  await expectNamedAndEnd(page, 'code_reused');
});

test('drill: expired code (the simulator clock moves 11 minutes)', async ({ page }) => {
  await authorizeHere(page);
  await startDrill(page, 'Expired code');
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  const d = diagnosis(page, 'exchange-error', 'code_expired');
  await expect(d).toContainText('The code expired before it was exchanged');
  await expect(d).toContainText(/Date header is 1[01] min/);
  await expectNamedAndEnd(page, 'code_expired');
  await expect(step(page, 'Simulator settings').getByTestId('sim-clock')).toContainText(
    'real time',
  );
});

test('drill: refresh token used twice by racing workers', async ({ page }) => {
  await authorizeHere(page);
  await exchangeCode(page);
  await startDrill(page, 'Refresh token used twice');
  await expect(diagnosis(page, 'refresh-error', 'refresh_rotated')).toBeVisible();
  // The winner's pair was kept and works.
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
  await expectNamedAndEnd(page, 'refresh_rotated');
});

test('drill: redirect_uri mismatch, named before PandaDoc shows its error page', async ({
  page,
}) => {
  await openDebugger(page);
  const redirect = step(page, 'Profile').getByLabel('redirect_uri');
  const original = await redirect.inputValue();
  await startDrill(page, 'redirect_uri mismatch');
  await expect(redirect).toHaveValue(`${original}/`);
  await buildAuthorizeUrl(page);
  await expect(diagnosis(page, 'authorize-error', 'redirect_uri_mismatch')).toContainText(
    /trailing slash/i,
  );
  await expectNamedAndEnd(page, 'redirect_uri_mismatch');
  await expect(redirect).toHaveValue(original);
});

test('drill: wrong client secret', async ({ page }) => {
  await authorizeHere(page);
  await startDrill(page, 'Wrong client secret');
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(diagnosis(page, 'exchange-error', 'wrong_secret')).toContainText('invalid_client');
  await expectNamedAndEnd(page, 'wrong_secret');
});

test('drill: bad scope name, and the error page PandaDoc would show', async ({ page }) => {
  await openDebugger(page);
  await startDrill(page, 'Bad scope name');
  const url = await buildAuthorizeUrl(page);
  await expect(diagnosis(page, 'authorize-error', 'bad_scope_name')).toContainText('openid');
  await expectNamedAndEnd(page, 'bad_scope_name');
  await expect(step(page, 'Profile').getByLabel('scope')).toHaveValue('read+write');
  await page.goto(url);
  await expect(page.getByText("'openid' is not a valid scope.")).toBeVisible();
});

test('drill: JSON body instead of a form', async ({ page }) => {
  await authorizeHere(page);
  await startDrill(page, 'JSON body');
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(diagnosis(page, 'exchange-error', 'json_body')).toBeVisible();
  await expect(page.getByTestId('exchange-call')).toContainText('Content-Type: application/json');
  await expectNamedAndEnd(page, 'json_body');
});

test('drill: access denied at the consent screen', async ({ page }) => {
  await openDebugger(page);
  await startDrill(page, 'Access denied');
  await buildAuthorizeUrl(page);
  await page.getByRole('link', { name: 'Open here' }).click();
  await denyOnSimulator(page);
  await expect(page.getByTestId('callback-error')).toHaveAttribute('data-code', 'access_denied');
  await expectNamedAndEnd(page, 'access_denied');
});

test('drill: rate limited (429 with Retry-After)', async ({ page }) => {
  await authorizeHere(page);
  await exchangeCode(page);
  await startDrill(page, 'Rate limited');
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(diagnosis(page, 'verify-error', 'rate_limited')).toContainText('13 s');
  await expectNamedAndEnd(page, 'rate_limited');
});

test('drill: API 401 once the token has expired (simulator clock +366 days)', async ({ page }) => {
  await authorizeHere(page);
  await exchangeCode(page);
  await startDrill(page, 'API 401: token expired');
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(diagnosis(page, 'verify-error', 'api_unauthorized')).toContainText(
    'This access token has expired',
  );
  await expectNamedAndEnd(page, 'api_unauthorized');
});

test('drill: upstream 5xx', async ({ page }) => {
  await authorizeHere(page);
  await startDrill(page, 'Upstream 5xx');
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(diagnosis(page, 'exchange-error', 'upstream_5xx')).toContainText(
    'server error (500)',
  );
  await expectNamedAndEnd(page, 'upstream_5xx');
});

test('drill: an HTML error page from a load balancer', async ({ page }) => {
  await authorizeHere(page);
  await startDrill(page, 'HTML error page');
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(diagnosis(page, 'exchange-error', 'upstream_5xx')).toContainText(
    'answered with an HTML error page',
  );
  await expectNamedAndEnd(page, 'upstream_5xx');
});

test('drill: slow upstream past the local server timeout', async ({ page }) => {
  test.setTimeout(45_000);
  await authorizeHere(page);
  await startDrill(page, 'Slow upstream');
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(diagnosis(page, 'exchange-error', 'upstream_timeout')).toBeVisible({
    timeout: 15_000,
  });
  await expectNamedAndEnd(page, 'upstream_timeout');
});
