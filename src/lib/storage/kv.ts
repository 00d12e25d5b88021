import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';

/**
 * The key-value layer under the storage module. IndexedDB through idb-keyval; when IndexedDB is
 * missing or refuses to open (private mode, blocked by policy), an in-memory map stands in so the
 * app keeps working, and `status` says so.
 */

export type StorageStatus = { persistent: true } | { persistent: false; reason: string };

export interface KeyValue {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  readonly status: StorageStatus;
}

const DB_NAME = 'pandadoc-oauth-debugger';
const STORE_NAME = 'records';

export function memoryKeyValue(reason: string): KeyValue {
  const map = new Map<string, unknown>();
  return {
    status: { persistent: false, reason },
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    del: async (k) => void map.delete(k),
    keys: async () => [...map.keys()],
  };
}

function idbKeyValue(store: UseStore): KeyValue {
  return {
    status: { persistent: true },
    get: (k) => get(k, store),
    set: (k, v) => set(k, v, store),
    del: (k) => del(k, store),
    keys: async () => (await keys(store)).map(String),
  };
}

/** Opens IndexedDB and proves it works with one read; falls back to memory with the reason. */
export async function openKeyValue(): Promise<KeyValue> {
  if (typeof indexedDB === 'undefined') {
    return memoryKeyValue('This browser offers no IndexedDB (private mode?)');
  }
  try {
    const store = createStore(DB_NAME, STORE_NAME);
    const kv = idbKeyValue(store);
    await kv.get('__probe__');
    return kv;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return memoryKeyValue(`IndexedDB could not be opened: ${why}`);
  }
}
