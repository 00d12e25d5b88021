import {
  type APIRequestContext,
  type BrowserContext,
  expect,
  type Page,
  test,
} from '@playwright/test';
import { authorizeHere, exchangeCode, openDebugger, revealField, step } from './helpers.ts';

/**
 * Tests that change the simulator's settings. The simulator is shared by every test of a run, so
 * this file runs alone (its own Playwright project, after the others), one test at a time, and
 * puts the settings back after each test.
 */
test.describe.configure({ mode: 'serial' });

async function simulator(request: APIRequestContext, patch: Record<string, unknown>) {
  const res = await request.put('/sim/_control', { data: patch });
  expect(res.status(), await res.text()).toBe(200);
  const state = (await res.json()) as { settings: Record<string, unknown> };
  expect(state.settings).toMatchObject(patch);
}

test.afterEach(async ({ request }) => {
  const res = await request.post('/sim/_control/reset');
  expect(res.status()).toBe(200);
  const state = (await res.json()) as { settings: { fault: string; latencyMs: number } };
  expect(state.settings.fault).toBe('none');
  expect(state.settings.latencyMs).toBe(0);
});

interface SentRefresh {
  refreshToken: string;
  /** What the token endpoint answered, through the local server. */
  upstreamStatus: number | null;
}

/** Every refresh_token grant any page of the context sends to /api/token, with its outcome. */
function watchRefreshes(context: BrowserContext): Promise<SentRefresh>[] {
  const sent: Promise<SentRefresh>[] = [];
  context.on('response', (res) => {
    const req = res.request();
    if (req.method() !== 'POST' || !res.url().endsWith('/api/token')) return;
    const { fields } = JSON.parse(req.postData() ?? '{}') as { fields: [string, string][] };
    const form = new Map(fields);
    if (form.get('grant_type') !== 'refresh_token') return;
    sent.push(
      res.json().then((body: { response: { status: number } | null }) => ({
        refreshToken: form.get('refresh_token') ?? '',
        upstreamStatus: body.response?.status ?? null,
      })),
    );
  });
  return sent;
}

/** Upstream statuses of the refreshes sent with this refresh token, sorted. */
async function statusesFor(
  sent: Promise<SentRefresh>[],
  token: string,
): Promise<(number | null)[]> {
  return (await Promise.all(sent))
    .filter((s) => s.refreshToken === token)
    .map((s) => s.upstreamStatus)
    .sort();
}

async function openAnotherTab(context: BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  await openDebugger(tab);
  await expect(tab.getByTestId('token-fields')).toBeVisible();
  return tab;
}

test.describe('several tabs, one refresh token', () => {
  test('auto-refresh in three tabs: one refresh goes out, all three take the new pair', async ({
    page,
    context,
    request,
  }) => {
    test.setTimeout(60_000);
    await simulator(request, { accessTokenLifetimeSeconds: 10 });
    await authorizeHere(page);
    await exchangeCode(page);
    const fields = page.getByTestId('token-fields');
    await expect(fields.locator('tr[data-field="expires_in"] td').first()).toHaveText(/^10 s\b/);
    const original = await revealField(fields, 'refresh_token');
    const sent = watchRefreshes(context);

    const tabs = [page, await openAnotherTab(context), await openAnotherTab(context)];
    for (const tab of tabs.slice(1)) {
      expect(await revealField(tab.getByTestId('token-fields'), 'refresh_token')).toBe(original);
    }
    const auto = (tab: Page) => tab.getByLabel('Refresh automatically before expiry');
    await auto(page).check();
    // The setting belongs to the profile: the other tabs pick it up and schedule their own.
    for (const tab of tabs) {
      await expect(auto(tab)).toBeChecked();
      await expect(tab.getByTestId('auto-refresh-when')).toContainText('Next automatic refresh');
    }

    for (const tab of tabs) {
      await expect(step(tab, 'Refresh')).toContainText('rotated', { timeout: 20_000 });
    }
    // Stop the next round (the new tokens live 10 s too) before looking closer.
    await auto(page).uncheck();
    for (const tab of tabs) await expect(auto(tab)).not.toBeChecked();

    // One tab refreshed; the old token went out once more only to prove it dead.
    await expect.poll(() => statusesFor(sent, original), { timeout: 10_000 }).toEqual([200, 400]);
    const rotated = (await Promise.all(sent)).filter((s) => s.refreshToken !== original);
    expect(rotated).toEqual([]);
    const newRefresh = await revealField(page.getByTestId('token-fields'), 'refresh_token');
    expect(newRefresh).not.toBe(original);
    for (const tab of tabs) {
      expect(await revealField(tab.getByTestId('token-fields'), 'refresh_token')).toBe(newRefresh);
      await expect(tab.getByTestId('old-refresh-status')).toHaveText(
        'rejected (invalid_grant): no longer works',
      );
      await expect(tab.getByTestId('refresh-error')).toHaveCount(0);
    }
  });

  test('two tabs press Refresh at once: one refresh is sent, the other tab takes its pair', async ({
    page,
    context,
    request,
  }) => {
    await authorizeHere(page);
    await exchangeCode(page);
    const original = await revealField(page.getByTestId('token-fields'), 'refresh_token');
    const other = await openAnotherTab(context);
    const sent = watchRefreshes(context);
    // A slow token endpoint, so both presses land while the first refresh is on its way.
    await simulator(request, { latencyMs: 1500 });

    const button = (tab: Page) => tab.getByRole('button', { name: 'Refresh tokens' });
    await Promise.all([button(page).click(), button(other).click()]);
    for (const tab of [page, other]) {
      await expect(step(tab, 'Refresh')).toContainText('rotated', { timeout: 15_000 });
    }
    const adopted = (tab: Page) =>
      tab
        .getByTestId('adopted')
        .filter({ hasText: 'Another tab had just refreshed: its new pair was taken' });
    await expect
      .poll(async () => (await adopted(page).count()) + (await adopted(other).count()))
      .toBe(1);
    await expect.poll(() => statusesFor(sent, original), { timeout: 15_000 }).toEqual([200, 400]);
    const newRefresh = await revealField(page.getByTestId('token-fields'), 'refresh_token');
    expect(newRefresh).not.toBe(original);
    expect(await revealField(other.getByTestId('token-fields'), 'refresh_token')).toBe(newRefresh);
    for (const tab of [page, other]) await expect(tab.getByTestId('refresh-error')).toHaveCount(0);
  });
});

test.describe('failure drills', () => {
  test('an HTML 502 from a load balancer, once: diagnosed, and the code survives it', async ({
    page,
    request,
  }) => {
    await authorizeHere(page);
    await simulator(request, { fault: 'html', faultOnce: true });
    await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
    await expect(page.getByTestId('exchange-call-status')).toHaveText('502 Bad Gateway');
    // A 5xx outranks "HTML instead of JSON" (rule order in triage/index.ts); the HTML is evidence.
    const error = page.locator('[data-testid="exchange-error"][data-rule="upstream_5xx"]');
    await expect(error).toContainText('127.0.0.1');
    await expect(error).toContainText('had a server error (502)');
    await expect(error).toContainText(
      'The body is an HTML page, so it may come from a proxy or load balancer',
    );
    await expect(page.getByTestId('exchange-error')).toHaveCount(1);
    await expect(page.getByTestId('exchange-call-body')).toContainText(
      '<center><h1>502 Bad Gateway</h1></center>',
    );
    await expect(page.getByTestId('exchange-call')).toContainText('server: awselb/2.0');
    await expect(page.getByTestId('token-fields')).toBeHidden();
    await expect(step(page, 'Exchange')).toContainText('failed');

    // A 5xx proves nothing about the code: the app does not call it used (issue 8).
    await expect(page.getByTestId('reuse-warning')).toBeHidden();
    await expect(page.getByTestId('code-unknown')).toContainText(
      'No answer proves whether PandaDoc used this code',
    );
    await expect(step(page, 'Code')).toContainText('code captured');
    // The fault hit once and nothing was spent: the same code now works.
    await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
    await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
    await expect(page.getByTestId('token-fields')).toBeVisible();
    await expect(page.getByTestId('exchange-error')).toHaveCount(0);
  });

  test('members/current throttled: 429 diagnosed with the wait PandaDoc asks for', async ({
    page,
    request,
  }) => {
    await authorizeHere(page);
    await simulator(request, { fault: 'rate_limited', faultTarget: 'members' });
    // The token endpoint is not targeted.
    await exchangeCode(page);
    await page.getByRole('button', { name: 'Call members/current' }).click();
    await expect(page.getByTestId('verify-call-status')).toHaveText('429 Too Many Requests');
    const error = page.locator('[data-testid="verify-error"][data-rule="rate_limited"]');
    await expect(error).toContainText('PandaDoc is throttling requests (429)');
    await expect(error).toContainText('Wait 13 s, then try again once');
    await expect(page.getByTestId('verify-call')).toContainText('retry-after: 13');
    await expect(step(page, 'Use')).toContainText('token refused');
    await expect(page.getByTestId('member-summary')).toBeHidden();

    await request.post('/sim/_control/reset');
    await page.getByRole('button', { name: 'Call members/current' }).click();
    await expect(page.getByTestId('verify-call-status')).toHaveText('200 OK');
    await expect(page.getByTestId('member-summary')).toContainText('Dana Demo');
    await expect(page.getByTestId('verify-error')).toHaveCount(0);
  });

  test('a token endpoint slower than UPSTREAM_TIMEOUT_MS: a clear timeout', async ({
    page,
    request,
  }) => {
    // playwright.config.ts starts the server with UPSTREAM_TIMEOUT_MS=5000.
    await authorizeHere(page);
    await simulator(request, { latencyMs: 6000 });
    await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
    await expect(page.getByTestId('exchange-call-status')).toHaveText('timed out', {
      timeout: 10_000,
    });
    await expect(page.getByTestId('exchange-call-failure')).toHaveText(
      'no complete answer within 5000 ms',
    );
    await expect(
      page.locator('[data-testid="exchange-error"][data-rule="upstream_timeout"]'),
    ).toBeVisible();
    await expect(page.getByTestId('exchange-call')).toContainText(/in 5\.\d\d s/);
    await expect(page.getByTestId('token-fields')).toBeHidden();
    // No answer: the code is not called used.
    await expect(page.getByTestId('reuse-warning')).toBeHidden();
    await expect(page.getByTestId('code-unknown')).toContainText('no answer (timeout)');
  });

  test('the connection dropped mid-answer: nothing is claimed, and the code still works', async ({
    page,
    request,
  }) => {
    await authorizeHere(page);
    await simulator(request, { fault: 'reset', faultTarget: 'token', faultOnce: true });
    await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
    await expect(page.getByTestId('exchange-call-failure')).toBeVisible();
    await expect(page.getByTestId('reuse-warning')).toBeHidden();
    await expect(page.getByTestId('code-unknown')).toBeVisible();
    await expect(step(page, 'Code')).toContainText('code captured');
    await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
    await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  });
});
