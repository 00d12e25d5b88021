import { beforeEach, describe, expect, it } from 'vitest';
import { Persistence } from './persist.svelte.ts';
import { Profiles } from './profiles.svelte.ts';
import { TabSync } from './tabSync.ts';
import { CONFIG, clearDatabase, openStorage } from './testing.ts';

beforeEach(clearDatabase);

/** A TabSync that counts what it would tell the other tabs. */
function countingTabs() {
  const tabs = new TabSync();
  const told = { profiles: 0 };
  tabs.profilesChanged = () => void told.profiles++;
  return { tabs, told };
}

describe('Profiles', () => {
  it('starts a fresh install with the simulator demo, and reads it back on the next load', async () => {
    const storage = await openStorage();
    const { tabs } = countingTabs();
    const profiles = new Profiles(() => storage, new Persistence(), tabs);
    const first = await profiles.load(CONFIG);
    expect(profiles.list.map((p) => [p.name, p.environment, p.clientId])).toEqual([
      ['Simulator demo', 'simulator', CONFIG.simulator.clientId],
    ]);
    const again = new Profiles(() => storage, new Persistence(), tabs);
    expect(await again.load(CONFIG)).toBe(first);
  });

  it('adds from the active profile, saves every change and tells the other tabs', async () => {
    const storage = await openStorage();
    const { tabs, told } = countingTabs();
    const profiles = new Profiles(() => storage, new Persistence(), tabs);
    profiles.activeId = await profiles.load(CONFIG);
    const added = await profiles.add('  ', 'http://x/callback');
    expect(added).toMatchObject({ name: 'Profile 2', clientId: CONFIG.simulator.clientId });
    profiles.activeId = added.id;
    await profiles.update({ scope: 'read' });
    expect(told.profiles).toBe(2);
    const stored = await (await openStorage()).loadProfiles();
    expect(stored.find((p) => p.id === added.id)?.scope).toBe('read');
  });

  it('says so, and keeps going in memory, when a save fails', async () => {
    const storage = await openStorage();
    const persistence = new Persistence();
    const profiles = new Profiles(() => storage, persistence, new TabSync());
    profiles.activeId = await profiles.load(CONFIG);
    storage.saveProfiles = () => Promise.reject(new Error('QuotaExceededError'));
    await profiles.update({ name: 'Renamed' });
    expect(profiles.active?.name).toBe('Renamed');
    expect(persistence.error).toMatch(
      /Could not save profiles on this device \(QuotaExceededError\)/,
    );
  });

  it('removing the last profile brings the simulator demo back; its stored data goes', async () => {
    const storage = await openStorage();
    const profiles = new Profiles(() => storage, new Persistence(), new TabSync());
    const only = await profiles.load(CONFIG);
    await storage.saveSecret(only, 'kept-secret');
    const next = await profiles.remove(only, CONFIG);
    expect(next).not.toBe(only);
    expect(profiles.list).toHaveLength(1);
    expect(await storage.loadSecret(only)).toBeNull();
  });

  it('keeps a checked token in a profile of its own, sealed', async () => {
    const storage = await openStorage();
    const profiles = new Profiles(() => storage, new Persistence(), new TabSync());
    await profiles.load(CONFIG);
    await profiles.addCheckedToken('us', 'a'.repeat(40), CONFIG.simulator.redirectUri);
    const checked = profiles.list.at(-1)!;
    expect(checked).toMatchObject({ name: 'Checked token …aaaa', environment: 'us' });
    expect((await storage.loadSession(checked.id)).tokens?.accessToken).toBe('a'.repeat(40));
  });
});
