import { isSealed, type Sealed, type Sealer } from './sealed.ts';

/**
 * A client_secret typed in this tab, kept for this tab only, so that the same-tab trip to
 * PandaDoc's consent screen (a full page load away and back) does not drop it. It lives in
 * sessionStorage, which belongs to one tab and goes when the tab closes, and it is sealed with
 * the device key like every other secret, so no plain text of it is ever written anywhere.
 */

/** The part of the Web Storage API used here; tests hand in a Map-backed one. */
export type TabStore = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

const key = (profileId: string) => `pandadoc-oauth-debugger:secret:${profileId}`;

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function tabStore(): TabStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    // Some privacy modes throw on merely touching sessionStorage.
    return null;
  }
}

export class TabSecrets {
  constructor(
    private readonly sealer: Sealer,
    private readonly store: TabStore | null = tabStore(),
  ) {}

  async save(profileId: string, secret: string): Promise<void> {
    if (!this.store) return;
    if (!secret) return this.store.removeItem(key(profileId));
    const sealed = await this.sealer.seal(secret);
    this.store.setItem(
      key(profileId),
      JSON.stringify({ iv: toBase64(sealed.iv), data: toBase64(new Uint8Array(sealed.data)) }),
    );
  }

  /** The secret typed in this tab, or null (none, another device key, or an unreadable record). */
  async load(profileId: string): Promise<string | null> {
    const text = this.store?.getItem(key(profileId));
    if (!text) return null;
    try {
      const raw = JSON.parse(text) as { iv: string; data: string };
      const record: Sealed = {
        sealed: 1,
        iv: fromBase64(raw.iv),
        data: fromBase64(raw.data).buffer,
      };
      if (!isSealed(record)) return null;
      const value = await this.sealer.open(record);
      return typeof value === 'string' ? value : null;
    } catch {
      this.store?.removeItem(key(profileId));
      return null;
    }
  }

  forget(profileId: string): void {
    this.store?.removeItem(key(profileId));
  }
}
