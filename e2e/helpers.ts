import { createHash, randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';

/** Shared steps for the e2e specs, written the way a newcomer would click through the app. */

export const SIM_CLIENT_ID = 'sim-demo-client-0d6f3b';
/** The simulator demo app's secret: held by the local server, never meant to reach a page. */
export const SIM_CLIENT_SECRET = 'sim-demo-secret-8a41c7e2b9';
export const HEX40 = /^[0-9a-f]{40}$/;
/**
 * How the screen shows a hidden 40-character token: its fingerprint (first 8 hex of its SHA-256,
 * an ellipsis, its last 4 characters), the same form as History and the report.
 */
export const MASKED40 = /^[0-9a-f]{8}…[0-9a-f]{4}$/;

export function step(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** Opens the debugger and waits until it has loaded its profile. */
export async function openDebugger(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'PandaDoc OAuth Debugger' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Build authorize URL' })).toBeVisible();
}

/** Step 2: builds the authorize URL and returns it as shown on the page. */
export async function buildAuthorizeUrl(page: Page): Promise<string> {
  const shown = page.getByTestId('authorize-url');
  // On a second build, wait for the new URL (a new state), not the one already shown.
  const before = (await shown.count()) ? await shown.textContent() : null;
  await page.getByRole('button', { name: 'Build authorize URL' }).click();
  await expect(shown).toContainText('/sim/oauth2/authorize?');
  if (before) await expect(shown).not.toHaveText(before);
  const url = (await shown.textContent()) ?? '';
  expect(url).toMatch(/^http:\/\//);
  return url;
}

/** On the simulator's consent screen: checks it is the consent screen, then clicks Authorize. */
export async function authorizeOnSimulator(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Authorize Application' })).toBeVisible();
  await expect(page).toHaveURL(/\/sim\/oauth2\/authorize\?/);
  await page.getByRole('button', { name: 'Authorize', exact: true }).click();
}

/** On the simulator's consent screen: clicks Deny. */
export async function denyOnSimulator(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Authorize Application' })).toBeVisible();
  await page.getByRole('button', { name: 'Deny', exact: true }).click();
}

/** Back on the app after the redirect: the code is captured and state matched. */
export async function expectCodeCapturedWithState(page: Page): Promise<void> {
  await expect(page.getByTestId('state-check')).toHaveText(
    'matches the authorization this browser started',
  );
  await expect(page.getByTestId('code-value')).toHaveText(MASKED40);
}

/** Steps 2 and 3 in the browser: Build → Open here → Authorize → code captured. */
export async function authorizeHere(page: Page): Promise<void> {
  await openDebugger(page);
  await buildAuthorizeUrl(page);
  await page.getByRole('link', { name: 'Open here' }).click();
  await authorizeOnSimulator(page);
  await expect(page).toHaveURL(/\/$/);
  await expectCodeCapturedWithState(page);
}

/** Step 4: exchanges the captured code and expects 200. */
export async function exchangeCode(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Exchange code for tokens' }).click();
  await expect(page.getByTestId('exchange-call-status')).toHaveText('200 OK');
  await expect(page.getByTestId('token-fields')).toBeVisible();
}

/** The full value of a secret field in a FieldTable, by clicking its Reveal button. */
export async function revealField(table: Locator, field: string): Promise<string> {
  const row = table.locator(`tr[data-field="${field}"]`);
  await row.getByRole('button', { name: `Reveal ${field}` }).click();
  const value = row.locator('code[data-revealed="true"]');
  await expect(value).toHaveText(HEX40);
  const text = (await value.textContent()) ?? '';
  await row.getByRole('button', { name: `Hide ${field}` }).click();
  return text;
}

/** Pastes text into step 3's box and clicks Use this. */
export async function pasteCallback(page: Page, text: string): Promise<void> {
  await page.getByLabel('Paste a code or the whole redirect URL').fill(text);
  await page.getByRole('button', { name: 'Use this' }).click();
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Answers the simulator's consent form without a browser, so the app never sees the redirect:
 * GET the authorize URL, POST its form with the decision, and return the redirect's Location.
 */
export async function consentRedirect(
  request: APIRequestContext,
  authorizeUrl: string,
  decision: 'allow' | 'deny' = 'allow',
): Promise<string> {
  const consent = await request.get(authorizeUrl);
  expect(consent.status()).toBe(200);
  const html = await consent.text();
  expect(html).toContain('Authorize Application');
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeTruthy();
  const form: Record<string, string> = { decision };
  for (const [, name, value] of html.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  ))
    form[name] = unescapeHtml(value);
  const answer = await request.post(new URL(unescapeHtml(action!), authorizeUrl).href, {
    form,
    maxRedirects: 0,
  });
  expect(answer.status()).toBe(302);
  const location = answer.headers()['location'];
  expect(location).toBeTruthy();
  return location;
}

/** The app's fingerprint of a secret: first 8 hex of its SHA-256, `…`, its last 4 characters. */
export function fingerprintOf(value: string): string {
  return `${createHash('sha256').update(value).digest('hex').slice(0, 8)}…${value.slice(-4)}`;
}

/** Step 3: the captured code's full value, by clicking its Reveal button. */
export async function revealCode(page: Page): Promise<string> {
  await step(page, 'Code').getByRole('button', { name: 'Reveal authorization code' }).click();
  await expect(page.getByTestId('code-value')).toHaveText(HEX40);
  return (await page.getByTestId('code-value').textContent()) ?? '';
}

/** Steps 6 and 7: the token works, then a refresh rotates it and the old refresh token is dead. */
export async function useThenRefresh(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Call members/current' }).click();
  await expect(page.getByTestId('verify-call-status')).toHaveText('200 OK');
  await page.getByRole('button', { name: 'Refresh tokens' }).click();
  await expect(page.getByTestId('old-refresh-status')).toHaveText(
    'rejected (invalid_grant): no longer works',
  );
}

/**
 * Opens a tool panel that starts closed (Failure drills, Simulator settings) from its heading,
 * as a user would; does nothing when it is open already.
 */
export async function openPanel(page: Page, title: string): Promise<Locator> {
  const panel = step(page, title);
  const toggle = panel.getByRole('button', { name: title, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  return panel;
}

/**
 * Counts the page's IndexedDB reads of history records, by key: install with addInitScript before
 * the app loads, read with historyReads.
 */
export const COUNT_HISTORY_READS = `(() => {
  window.__historyReads = {};
  const get = IDBObjectStore.prototype.get;
  IDBObjectStore.prototype.get = function (key) {
    if (typeof key === 'string' && key.startsWith('history:'))
      window.__historyReads[key] = (window.__historyReads[key] || 0) + 1;
    return get.call(this, key);
  };
})()`;

export function historyReads(page: Page): Promise<Record<string, number>> {
  return page.evaluate('window.__historyReads') as Promise<Record<string, number>>;
}

/**
 * Opens the Traffic section, live. Returns a mark of this test's own (for the User-Agent of every
 * call it sends) and the rows of those calls, newest first.
 */
export async function openTraffic(page: Page): Promise<{ mark: string; rows: Locator }> {
  await page.goto('/#traffic');
  await expect(page.getByTestId('traffic-status')).toContainText('Live');
  const mark = `e2e-${randomUUID().slice(0, 8)}`;
  return { mark, rows: rowsOf(page, mark) };
}

/** The rows of calls whose User-Agent carries `mark`, newest first. */
export function rowsOf(page: Page, mark: string): Locator {
  return page
    .getByTestId('traffic-table')
    .locator('tbody tr')
    .filter({ has: page.locator(`td[title*="${mark}"]`) });
}
