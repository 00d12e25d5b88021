/**
 * Records the HAR fixtures in e2e/fixtures/har/ for real: Playwright's recordHar on Chromium,
 * driving flows against this app's own server and its built-in simulator. Nothing leaves the
 * machine; every secret in the files is a simulator secret.
 *
 *   npx vite build --outDir /tmp/dist-h5
 *   DIST_DIR=/tmp/dist-h5 npx tsx scripts/record-har-fixtures.ts
 *
 * Ports: HAR_PORT_BASE (default 5341) for the app, +1 for Acme CRM, +2 for the server Acme uses.
 *
 * Size: recorded with `content: 'embed'`, then the bodies of the app's own static assets (its
 * JavaScript and CSS bundles, 100+ KB each and unrelated to OAuth) are dropped: the entries stay,
 * so the files still show unrelated traffic, but each file stays far under 300 KB.
 *
 * Besides the HAR files it writes secrets.json: every code and token the simulator issued during
 * each recording, watched inside the simulator itself, plus the client secret, password and JWT
 * the flows typed or set. Tests use it to check the sanitizer without trusting its own collector.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import type { Har } from 'har-format';
import { createServerApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { listen } from '../src/server/listen.ts';
import type { SimulatorCore } from '../src/server/simulator/state.ts';
import { findChromium } from './chromium-path.mjs';
import { startCustomerApp, type CustomerMode } from './har-customer-app.ts';
import { firefoxShape, mitmproxyShape } from './har-shapes.ts';
import { authorizeHere, exchangeCode, useThenRefresh } from '../e2e/helpers.ts';

const OUT = 'e2e/fixtures/har';
const BASE = Number(process.env.HAR_PORT_BASE || 5341);
const DIST = process.env.DIST_DIR || 'dist';
export const ACME_USER = 'dana@acme.test';
export const ACME_PASSWORD = 'Acme-pa55word!';

/** Records every code and token the simulator hands out, from inside the simulator. */
function watch(sim: SimulatorCore, into: Set<string>): void {
  const decide = sim.decide.bind(sim);
  sim.decide = (params, approve) => {
    const result = decide(params, approve);
    if (result.kind === 'redirect') {
      const code = new URL(result.location).searchParams.get('code');
      if (code) into.add(code);
    }
    return result;
  };
  const token = sim.token.bind(sim);
  sim.token = (form, basic) => {
    const result = token(form, basic);
    const body = result.body as Record<string, unknown>;
    for (const key of ['access_token', 'refresh_token']) {
      if (typeof body[key] === 'string') into.add(body[key]);
    }
    return result;
  };
}

async function startApp(port: number, redirectUri?: string) {
  const config = loadConfig({
    PORT: String(port),
    ...(redirectUri && { SIM_REDIRECT_URI: redirectUri }),
  });
  const { app, simulator } = createServerApp({ config, distDir: DIST });
  const server = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port });
  return { config, simulator, close: server.close };
}

function write(name: string, har: Har): void {
  writeFileSync(join(OUT, name), `${JSON.stringify(har, null, 2)}\n`);
}

const STATIC = /\.(js|css|woff2?|map)(\?|$)/;

/** Drops the app's big static bodies (see the file comment) and pretty-prints the file. */
function finish(rawPath: string, outName: string): Har {
  const har = JSON.parse(readFileSync(rawPath, 'utf8')) as Har;
  for (const entry of har.log.entries) {
    const content = entry.response.content;
    if (STATIC.test(new URL(entry.request.url).pathname) && (content.text?.length ?? 0) > 2048) {
      delete content.text;
      delete content.encoding;
      content.comment = 'body left out by scripts/record-har-fixtures.ts (static asset)';
    }
  }
  write(outName, har);
  return har;
}

async function record(
  browser: Browser,
  name: string,
  baseURL: string,
  drive: (page: Page) => Promise<void>,
) {
  const raw = join(tmpdir(), `h5-${name}.har`);
  rmSync(raw, { force: true });
  const context = await browser.newContext({ baseURL, recordHar: { path: raw, content: 'embed' } });
  const page = await context.newPage();
  await drive(page);
  // Give the recorder a moment to fetch the last response bodies before the context closes.
  await page.waitForTimeout(500);
  await context.close();
  const har = finish(raw, `${name}.chromium.har`);
  console.log(`${name}.chromium.har: ${har.log.entries.length} entries`);
  return har;
}

async function customerFlow(browser: Browser, mode: CustomerMode, secrets: Set<string>) {
  const acmePort = BASE + 1;
  const upstream = await startApp(BASE + 2, `http://127.0.0.1:${acmePort}/callback`);
  watch(upstream.simulator, secrets);
  const { clientId, clientSecret } = upstream.config.simulator;
  secrets.add(clientSecret).add(ACME_PASSWORD);
  const acme = await startCustomerApp({
    port: acmePort,
    upstream: upstream.config.origin,
    clientId,
    clientSecret,
    mode,
  });
  const name = mode === 'double-callback' ? 'customer-double-callback' : 'customer-refresh-race';
  const har = await record(browser, name, `http://127.0.0.1:${acmePort}`, async (page) => {
    await page.goto('/');
    await page.getByLabel('Email').fill(ACME_USER);
    await page.getByLabel('Password').fill(ACME_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const session = (await page.context().cookies()).find((c) => c.name === 'acme_session');
    if (session) secrets.add(session.value);
    await page.getByRole('link', { name: 'Connect PandaDoc' }).click();
    await page.getByRole('button', { name: 'Authorize', exact: true }).click();
    await expect(page.locator('.out')).toContainText('done', { timeout: 10_000 });
    console.log(
      `  ${name}: ${(await page.locator('.out').textContent())?.trim().replace(/\n/g, '; ')}`,
    );
  });
  await new Promise((done) => acme.server.close(done));
  // The other recorders' shapes, from the same calls (see har-shapes.ts).
  if (mode === 'double-callback') write(`${name}.firefox.har`, firefoxShape(har));
  else write(`${name}.mitmproxy.har`, mitmproxyShape(acme.backend));
  await upstream.close();
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined });
  const manifest: Record<string, string[]> = {};
  try {
    const appSecrets = new Set<string>();
    const app = await startApp(BASE);
    watch(app.simulator, appSecrets);
    await record(browser, 'app-flow', app.config.origin, async (page) => {
      await authorizeHere(page);
      await exchangeCode(page);
      await useThenRefresh(page);
    });
    await app.close();
    manifest['app-flow'] = [...appSecrets];
    for (const mode of ['double-callback', 'refresh-race'] as const) {
      const secrets = new Set<string>();
      await customerFlow(browser, mode, secrets);
      manifest[`customer-${mode}`] = [...secrets];
    }
  } finally {
    await browser.close();
  }
  writeFileSync(join(OUT, 'secrets.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

await main();
