import { SvelteMap } from 'svelte/reactivity';
import { fingerprint } from './fingerprint.ts';

/**
 * A secret as the screen shows it while hidden: its fingerprint (`3f9a1c2e…c36a`), the same form
 * History and the support report use, so a support engineer comparing a screen with a ticket sees
 * one prefix per token. SHA-256 is async: the first read shows `…` and the fingerprint replaces it
 * a moment later (reactively). The values are already in this tab's memory; nothing is stored.
 */
const cache = new SvelteMap<string, string>();
// Bookkeeping only, never rendered: a plain Set on purpose.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const pending = new Set<string>();
/** Enough for every token, code and secret a session shows at once. */
const CACHE_LIMIT = 500;

export function shownFingerprint(value: string): string {
  if (value === '') return '(empty)';
  const known = cache.get(value);
  if (known !== undefined) return known;
  if (!pending.has(value)) {
    pending.add(value);
    void fingerprint(value).then((print) => {
      pending.delete(value);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(value, print);
    });
  }
  return '…';
}
