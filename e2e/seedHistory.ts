import type { Page } from '@playwright/test';
import { PAGE_SIZE } from '../src/lib/storage/history.ts';
import { SCHEMA_VERSION } from '../src/lib/storage/records.ts';

/**
 * Gives the active profile a history of `n` entries, written into the page's own IndexedDB in the
 * layout the app keeps (pages of PAGE_SIZE, oldest first, and a meta record), then reloads so the
 * app reads it as it would after weeks of use. Entry i's note is `entry i`: entry 0 is the oldest.
 * Shared by e2e/history-scale.e2e.ts and bench/browser.bench.ts. Call it on an opened debugger.
 */
export async function seedHistory(page: Page, n: number): Promise<string> {
  // A string, not a function: tsx (the bench) would wrap inner functions in a helper the page lacks.
  const profileId = (await page.evaluate(
    `(${SEED})(${n}, ${PAGE_SIZE}, ${SCHEMA_VERSION})`,
  )) as string;
  await page.reload();
  return profileId;
}

const SEED = `async (n, pageSize, v) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('pandadoc-oauth-debugger');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const done = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const records = () => db.transaction('records', 'readwrite').objectStore('records');
  const id = (await done(records().get('active-profile'))).data;
  const kinds = ['exchange', 'verify', 'refresh'];
  const t0 = Date.now() - n * 60000;
  const entry = (i) => {
    const kind = kinds[i % 3];
    const failed = i % 7 === 0;
    return {
      id: 'seed-' + i,
      profileId: id,
      at: t0 + i * 60000,
      kind,
      outcome: failed ? 'error' : 'ok',
      status: failed ? (kind === 'verify' ? 401 : 400) : 200,
      errorCode: failed ? (kind === 'verify' ? 'authentication_error' : 'invalid_grant') : null,
      grant: kind === 'verify' ? null : failed ? 'rejected' : 'spent',
      verification: false,
      durationMs: 120 + (i % 90),
      clientId: 'sim-demo-client-0d6f3b',
      fingerprints: i % 4 === 0
        ? { refreshToken: '3f9a1c2e…c36a', newAccessToken: '0b1d2e3f…9a8b', newRefreshToken: '77aa01bc…d00d' }
        : { accessToken: '0b1d2e3f…9a8b' },
      note: 'entry ' + i,
    };
  };
  const pages = Math.ceil(n / pageSize);
  const store = records();
  for (let p = 0; p < pages; p++) {
    const data = [];
    for (let i = p * pageSize; i < Math.min(n, (p + 1) * pageSize); i++) data.push(entry(i));
    store.put({ v, data }, 'history:' + id + ':' + p);
  }
  await done(store.put({ v, data: { pages, count: n } }, 'history:' + id + ':meta'));
  db.close();
  return id;
}`;
