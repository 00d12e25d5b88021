import { clear, createStore, get, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryKeyValue, openKeyValue } from './kv.ts';
import { emptySession, Storage, type Profile } from './index.ts';

const profile = (id: string): Profile => ({
  id,
  name: `Profile ${id}`,
  environment: 'simulator',
  clientId: 'client-1',
  redirectUri: 'http://127.0.0.1:5173/callback',
  scope: 'read+write',
  rememberSecret: false,
  autoRefresh: false,
  createdAt: 1,
});

const raw = createStore('pandadoc-oauth-debugger', 'records');

/** Everything IndexedDB holds, as text, to prove what is (not) stored in the clear. */
async function dumpAll(kv: Awaited<ReturnType<typeof openKeyValue>>): Promise<string> {
  const out: string[] = [];
  for (const key of await kv.keys()) {
    const value = await kv.get(key);
    out.push(
      key,
      JSON.stringify(value, (_k, v) =>
        v instanceof ArrayBuffer || v instanceof Uint8Array
          ? new TextDecoder('latin1').decode(v)
          : v,
      ),
    );
  }
  return out.join('\n');
}

beforeEach(async () => {
  // A fresh store per test (deleting the database would wait on open connections).
  await clear(raw);
});

describe('Storage', () => {
  it('round-trips profiles and the active profile', async () => {
    const storage = await Storage.open();
    expect(storage.status.persistent).toBe(true);
    await storage.saveProfiles([profile('a'), profile('b')]);
    await storage.saveActiveProfileId('b');
    const again = await Storage.open();
    expect((await again.loadProfiles()).map((p) => p.id)).toEqual(['a', 'b']);
    expect(await again.loadActiveProfileId()).toBe('b');
    expect(again.problems).toEqual([]);
  });

  it('keeps tokens, codes and secrets sealed: none of them is stored in plain text', async () => {
    const kv = await openKeyValue();
    const storage = new Storage(kv);
    const session = emptySession();
    session.code = {
      value: 'c0de5ecret0000000000000000000000000000aa',
      state: 'st4te-value',
      capturedAt: 1,
      source: 'callback',
      exchangedAt: null,
    };
    session.tokens = {
      accessToken: 'acce55acce55acce55acce55acce55acce55acce',
      refreshToken: 'refre5hrefre5hrefre5hrefre5hrefre5hrefr',
      tokenType: 'Bearer',
      expiresIn: 31535999,
      scope: 'read write read+write',
      receivedAt: 1,
      expiresAt: 2,
      extra: {},
    };
    await storage.saveSession('a', session);
    await storage.saveSecret('a', 'my-client-secret-value');

    const dump = await dumpAll(kv);
    for (const secret of [
      'c0de5ecret',
      'st4te-value',
      'acce55acce55',
      'refre5hrefre5h',
      'my-client-secret-value',
    ]) {
      expect(dump).not.toContain(secret);
    }
    const back = await new Storage(kv).loadSession('a');
    expect(back.tokens?.accessToken).toBe(session.tokens.accessToken);
    expect(back.code?.value).toBe(session.code.value);
    expect(await storage.loadSecret('a')).toBe('my-client-secret-value');
  });

  it('skips an unreadable profile but keeps the good ones, and says so', async () => {
    await set('profiles', { v: 1, data: [profile('a'), { id: 7, junk: true }, profile('c')] }, raw);
    const storage = await Storage.open();
    expect((await storage.loadProfiles()).map((p) => p.id)).toEqual(['a', 'c']);
    expect(storage.problems).toEqual([
      expect.stringContaining('1 stored profile(s) were unreadable'),
    ]);
  });

  it('migrates a profile written before autoRefresh existed (auto-refresh off)', async () => {
    const { autoRefresh: _dropped, ...old } = profile('a');
    await set('profiles', { v: 1, data: [old] }, raw);
    const storage = await Storage.open();
    expect(await storage.loadProfiles()).toEqual([{ ...old, autoRefresh: false }]);
    expect(storage.problems).toEqual([]);
  });

  it('skips records from a newer schema version or of unknown shape without failing', async () => {
    await set('profiles', { v: 99, data: [profile('a')] }, raw);
    await set('session:a', 'not a record', raw);
    const storage = await Storage.open();
    expect(await storage.loadProfiles()).toEqual([]);
    expect(await storage.loadSession('a')).toEqual(emptySession());
    expect(storage.problems).toHaveLength(2);
  });

  it('reports a session sealed under another device key instead of crashing', async () => {
    const storage = await Storage.open();
    const s = emptySession();
    await storage.saveSession('a', s);
    // The device key is replaced (e.g. cleared by the user): old records can no longer be opened.
    await set('device-key', null, raw);
    const fresh = await Storage.open();
    expect(await fresh.loadSession('a')).toEqual(emptySession());
    expect(fresh.problems.join()).toMatch(/could not be decrypted/);
  });

  it('forgetProfile wipes the session and the remembered secret', async () => {
    const storage = await Storage.open();
    await storage.saveSession('a', { ...emptySession(), pending: null });
    await storage.saveSecret('a', 'secret');
    await storage.forgetProfile('a');
    expect(await get('session:a', raw)).toBeUndefined();
    expect(await get('secret:a', raw)).toBeUndefined();
  });

  it('findPending picks the authorization whose state matches, else the newest', async () => {
    const storage = await Storage.open();
    const pending = (profileId: string, state: string, createdAt: number) => ({
      ...emptySession(),
      pending: {
        profileId,
        state,
        codeVerifier: 'v',
        clientId: 'c',
        redirectUri: 'r',
        authorizeUrl: 'u',
        createdAt,
      },
    });
    await storage.saveSession('a', pending('a', 'state-a', 1));
    await storage.saveSession('b', pending('b', 'state-b', 2));
    expect((await storage.findPending('state-a', ['a', 'b']))?.profileId).toBe('a');
    expect((await storage.findPending('other', ['a', 'b']))?.profileId).toBe('b');
    expect(await storage.findPending('x', [])).toBeNull();
  });

  it('falls back to memory, with the reason, when IndexedDB is missing', async () => {
    const storage = new Storage(memoryKeyValue('This browser offers no IndexedDB'));
    await storage.saveProfiles([profile('a')]);
    expect(await storage.loadProfiles()).toHaveLength(1);
    expect(storage.status).toEqual({
      persistent: false,
      reason: 'This browser offers no IndexedDB',
    });
  });
});
