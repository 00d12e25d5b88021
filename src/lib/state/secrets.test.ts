import { beforeEach, describe, expect, it } from 'vitest';
import { Persistence } from './persist.svelte.ts';
import { simulatorProfile } from './profiles.svelte.ts';
import { Secrets } from './secrets.svelte.ts';
import { CONFIG, clearDatabase, memoryTab, openStorage } from './testing.ts';

beforeEach(clearDatabase);

describe('Secrets', () => {
  it('keeps a typed secret across a page load of the same tab, and only that tab', async () => {
    const tab = memoryTab();
    const profile = simulatorProfile(CONFIG);
    const storage = await openStorage(tab);
    const before = new Secrets(() => storage, new Persistence());
    await before.set(profile, 'typed-secret-1');
    expect(before.sent(profile.id)).toBe('typed-secret-1');
    expect(tab.dump()).not.toContain('typed-secret-1');

    const reloaded = await openStorage(tab);
    const after = new Secrets(() => reloaded, new Persistence());
    await after.load(profile);
    expect(after.typed(profile.id)).toBe('typed-secret-1');

    const otherTab = await openStorage(memoryTab());
    const elsewhere = new Secrets(() => otherTab, new Persistence());
    await elsewhere.load(profile);
    expect(elsewhere.typed(profile.id)).toBe('');
  });

  it('remembers a secret on the device only when asked, sealed', async () => {
    const profile = { ...simulatorProfile(CONFIG), rememberSecret: true };
    const storage = await openStorage();
    const secrets = new Secrets(() => storage, new Persistence());
    await secrets.set(profile, 'remembered-secret');
    expect(await (await openStorage(null)).loadSecret(profile.id)).toBe('remembered-secret');
    // Unticked: gone from the device, still typed in this tab.
    await secrets.remember(profile, false);
    expect(await (await openStorage(null)).loadSecret(profile.id)).toBeNull();
    expect(secrets.typed(profile.id)).toBe('remembered-secret');
  });

  it('lets a drill stand in a secret without touching the typed one', async () => {
    const profile = simulatorProfile(CONFIG);
    const storage = await openStorage();
    const secrets = new Secrets(() => storage, new Persistence());
    await secrets.set(profile, 'mine');
    secrets.drill = 'wrong-on-purpose';
    expect(secrets.sent(profile.id)).toBe('wrong-on-purpose');
    expect(secrets.typed(profile.id)).toBe('mine');
    secrets.drill = null;
    expect(secrets.sent(profile.id)).toBe('mine');
    secrets.forget(profile.id);
    expect(secrets.sent(profile.id)).toBe('');
  });
});
