import { describe, expect, it } from 'vitest';
import { memoryKeyValue } from './kv.ts';
import { Sealer } from './sealed.ts';
import { TabSecrets, type TabStore } from './tabSecrets.ts';

/** A tab's sessionStorage, as a Map anyone can read back in full. */
function memoryTab(): TabStore & { dump(): string } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    dump: () => JSON.stringify([...map]),
  };
}

describe('TabSecrets', () => {
  it('keeps a typed secret across a page load of the same tab, sealed', async () => {
    const kv = memoryKeyValue('test');
    const tab = memoryTab();
    await new TabSecrets(new Sealer(kv), tab).save('p1', 'typed-secret-value');
    expect(tab.dump()).not.toContain('typed-secret-value');
    // A new page in the same tab: new objects, same device key, same sessionStorage.
    expect(await new TabSecrets(new Sealer(kv), tab).load('p1')).toBe('typed-secret-value');
    expect(await new TabSecrets(new Sealer(kv), tab).load('p2')).toBeNull();
  });

  it('forgets an emptied secret, and one sealed under another device key', async () => {
    const tab = memoryTab();
    const secrets = new TabSecrets(new Sealer(memoryKeyValue('test')), tab);
    await secrets.save('p1', 'one');
    await secrets.save('p1', '');
    expect(await secrets.load('p1')).toBeNull();
    await secrets.save('p1', 'two');
    expect(await new TabSecrets(new Sealer(memoryKeyValue('test')), tab).load('p1')).toBeNull();
    expect(tab.dump()).toBe('[]');
  });

  it('does nothing where the tab has no sessionStorage', async () => {
    const secrets = new TabSecrets(new Sealer(memoryKeyValue('test')), null);
    await secrets.save('p1', 'x');
    expect(await secrets.load('p1')).toBeNull();
  });
});
