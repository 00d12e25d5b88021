import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DebuggerState } from './debugger.svelte.ts';
import { CONFIG, clearDatabase, memoryTab, openStorage } from './state/testing.ts';
import type { TabStore } from './storage/tabSecrets.ts';

beforeEach(clearDatabase);
const opened: DebuggerState[] = [];
afterEach(() => opened.splice(0).forEach((app) => app.tabs.stop()));

/** The app as a page load starts it, in a given tab. */
async function pageLoad(tab: TabStore): Promise<DebuggerState> {
  const app = new DebuggerState(async () => [CONFIG, await openStorage(tab)]);
  opened.push(app);
  await app.init();
  expect(app.loadError).toBeNull();
  return app;
}

describe('DebuggerState (the parts put together)', () => {
  it('opens on the simulator demo, ready, with nothing pending', async () => {
    const app = await pageLoad(memoryTab());
    expect(app.ready).toBe(true);
    expect(app.profile?.name).toBe('Simulator demo');
    expect(app.environment?.tokenEndpoint).toBe(`${CONFIG.origin}/sim/oauth2/access_token`);
    expect(app.serverHoldsSecret).toBe(true);
    expect(app.session.pending).toBeNull();
  });

  it('keeps the typed secret and the pending authorization across the consent trip', async () => {
    const tab = memoryTab();
    const before = await pageLoad(tab);
    await before.setSecret('typed-before-the-trip');
    await before.startAuthorization();
    const state = before.session.pending!.state;

    const after = await pageLoad(tab);
    expect(after.typedSecret).toBe('typed-before-the-trip');
    await after.captureCallback(`?state=${state}&code=${'ab'.repeat(20)}`);
    expect(after.callbackResult).toMatchObject({ ok: true, stateCheck: 'matched' });
    expect(after.session.code?.value).toBe('ab'.repeat(20));
    expect(after.history.map((h) => h.kind)).toEqual(['callback', 'authorize']);
  });

  it('a drill stand-in is what token calls send, and the typed secret comes back after', async () => {
    const app = await pageLoad(memoryTab());
    await app.setSecret('mine');
    app.drillSecret = 'wrong';
    expect(app.typedSecret).toBe('wrong');
    app.drillSecret = null;
    expect(app.typedSecret).toBe('mine');
  });

  it('forgetting a profile drops its typed secret and its stored session', async () => {
    const app = await pageLoad(memoryTab());
    await app.addProfile('Second');
    const id = app.activeId!;
    await app.setSecret('second-secret');
    await app.forgetProfile(id);
    expect(app.profiles.some((p) => p.id === id)).toBe(false);
    expect(app.activeId).not.toBe(id);
    expect(app.secrets.typed(id)).toBe('');
  });
});
