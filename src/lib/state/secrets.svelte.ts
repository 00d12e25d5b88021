import type { Profile, Storage } from '../storage/index.ts';
import type { Persistence } from './persist.svelte.ts';

/**
 * The client secrets typed in this tab, by profile. Each one is kept sealed in this tab's
 * sessionStorage (so the same-tab trip to the consent screen keeps it) and, only when the user
 * asks to remember it, sealed in IndexedDB too. A failure drill can stand in a wrong secret for
 * a while without touching the typed one.
 */
export class Secrets {
  #typed = $state<Record<string, string>>({});
  /** A failure drill's stand-in (wrong-secret drill): sent instead, never stored. */
  drill = $state<string | null>(null);

  constructor(
    private readonly storage: () => Storage,
    private readonly persist: Persistence,
  ) {}

  /** What token calls send for this profile ('' = let the server use the secret it holds). */
  sent(profileId: string | null): string {
    return this.drill ?? (profileId ? (this.#typed[profileId] ?? '') : '');
  }

  /** What the user typed for this profile (the drill's stand-in is not shown as typed). */
  typed(profileId: string): string {
    return this.#typed[profileId] ?? '';
  }

  /** After a page load: this tab's secret, else the remembered one. Once per profile. */
  async load(profile: Profile): Promise<void> {
    if (this.#typed[profile.id] !== undefined) return;
    const storage = this.storage();
    const secret =
      (await storage.tabSecrets.load(profile.id)) ??
      (profile.rememberSecret ? await storage.loadSecret(profile.id) : null);
    if (secret) this.#typed[profile.id] = secret;
  }

  async set(profile: Profile, secret: string): Promise<void> {
    this.#typed[profile.id] = secret;
    const storage = this.storage();
    await this.persist.run('the secret for this tab', () =>
      storage.tabSecrets.save(profile.id, secret),
    );
    if (!profile.rememberSecret) return;
    if (secret) await storage.saveSecret(profile.id, secret);
    else await storage.deleteSecret(profile.id);
  }

  /** The profile's "remember" box changed: keep the typed secret sealed on the device, or drop it. */
  async remember(profile: Profile, on: boolean): Promise<void> {
    const storage = this.storage();
    if (!on) await storage.deleteSecret(profile.id);
    else if (this.typed(profile.id)) await storage.saveSecret(profile.id, this.typed(profile.id));
  }

  forget(profileId: string): void {
    delete this.#typed[profileId];
  }
}
