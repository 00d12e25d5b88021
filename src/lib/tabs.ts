/** Cross-tab plumbing: Web Locks to serialize, BroadcastChannel to keep tabs in sync. */

export type Lock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** An exclusive lock across every tab of this origin; without Web Locks, just this tab's. */
export const webLock: Lock = (name, fn) => {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(name, { mode: 'exclusive' }, fn) as ReturnType<typeof fn>;
  }
  return memoryLock(name, fn);
};

const tails = new Map<string, Promise<unknown>>();

/** A promise-chain mutex: the fallback, and what tests use to stand for several tabs. */
export const memoryLock: Lock = (name, fn) => {
  const run = (tails.get(name) ?? Promise.resolve()).then(fn, fn);
  tails.set(
    name,
    run.catch(() => undefined),
  );
  return run;
};

export type TabMessage = { type: 'session'; profileId: string } | { type: 'profiles' };

/** Tells other tabs what changed; they re-read it from storage (no secrets on the channel). */
export class TabChannel {
  #channel: BroadcastChannel | null;
  constructor(onMessage: (message: TabMessage) => void) {
    this.#channel =
      typeof BroadcastChannel === 'undefined'
        ? null
        : new BroadcastChannel('pandadoc-oauth-debugger');
    if (this.#channel) this.#channel.onmessage = (e: MessageEvent<TabMessage>) => onMessage(e.data);
  }
  post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }
  close(): void {
    this.#channel?.close();
  }
}
