/** Test-only: a real Storage on fake-indexeddb (see src/test-setup.ts) and a tab store in memory. */
import { clear, createStore } from 'idb-keyval';
import type { AppConfig } from '../api/wire.ts';
import { openKeyValue } from '../storage/kv.ts';
import { Storage } from '../storage/index.ts';
import type { TabStore } from '../storage/tabSecrets.ts';

export const CONFIG: AppConfig = {
  origin: 'http://127.0.0.1:5173',
  defaultUpstream: 'simulator',
  serverSecrets: { simulator: true, us: false, eu: false },
  simulator: { clientId: 'sim-demo-client-0d6f3b', redirectUri: 'http://127.0.0.1:5173/callback' },
  upstreamTimeoutMs: 15000,
  registeredRedirectUris: {},
};

/** One tab's sessionStorage: survives a "page load" (a new Storage) when handed on. */
export function memoryTab(): TabStore & { dump(): string } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    dump: () => JSON.stringify([...map]),
  };
}

/** Empties the app's IndexedDB store (deleting the database would wait on open connections). */
export function clearDatabase(): Promise<void> {
  return clear(createStore('pandadoc-oauth-debugger', 'records'));
}

/** A Storage as a fresh page load opens it. */
export async function openStorage(tab: TabStore | null = memoryTab()): Promise<Storage> {
  return new Storage(await openKeyValue(), tab);
}
