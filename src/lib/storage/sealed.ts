import type { KeyValue } from './kv.ts';

/**
 * Secrets and tokens are never stored in plain text: each sensitive record is sealed with
 * AES-GCM under a device key that WebCrypto generates as non-extractable. IndexedDB keeps the
 * CryptoKey object itself; its bytes can't be read back by script, exported or synced.
 */

export interface Sealed {
  sealed: 1;
  iv: Uint8Array;
  data: ArrayBuffer;
}

const DEVICE_KEY = 'device-key';

export function isSealed(value: unknown): value is Sealed {
  const v = value as Sealed | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.sealed === 1 &&
    v.iv instanceof Uint8Array &&
    v.data instanceof ArrayBuffer
  );
}

function isAesKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

export class Sealer {
  #key: Promise<CryptoKey> | null = null;
  constructor(private readonly kv: KeyValue) {}

  #deviceKey(): Promise<CryptoKey> {
    this.#key ??= (async () => {
      const stored = await this.kv.get(DEVICE_KEY);
      if (isAesKey(stored)) return stored;
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ]);
      await this.kv.set(DEVICE_KEY, key);
      return key;
    })();
    return this.#key;
  }

  async seal(value: unknown): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(value));
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await this.#deviceKey(),
      plain,
    );
    return { sealed: 1, iv, data };
  }

  /** Throws when the record was sealed under another key (e.g. the device key was cleared). */
  async open(record: Sealed): Promise<unknown> {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.iv as Uint8Array<ArrayBuffer> },
      await this.#deviceKey(),
      record.data,
    );
    return JSON.parse(new TextDecoder().decode(plain));
  }
}
