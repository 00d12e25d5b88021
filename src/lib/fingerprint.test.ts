import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintAll } from './fingerprint.ts';

const TOKEN = '4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a';

describe('fingerprint', () => {
  it('is the first 8 hex of SHA-256 plus the last 4 characters', async () => {
    const hex = createHash('sha256').update(TOKEN).digest('hex').slice(0, 8);
    expect(await fingerprint(TOKEN)).toBe(`${hex}…c36a`);
    expect(await fingerprint(TOKEN)).toMatch(/^[0-9a-f]{8}…c36a$/);
  });

  it('is stable and tells different values apart', async () => {
    expect(await fingerprint(TOKEN)).toBe(await fingerprint(TOKEN));
    expect(await fingerprint(TOKEN)).not.toBe(await fingerprint(`x${TOKEN.slice(1)}`));
  });

  it('hashes UTF-8, so non-ASCII values work', async () => {
    const value = 'sécret-ünïcode-✓-value';
    const hex = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
    expect(await fingerprint(value)).toBe(`${hex}…alue`);
    expect(await fingerprint('emoji-tail-value-😀😀')).toMatch(/…e-😀😀$/);
  });

  it('leaves the tail off short values', async () => {
    expect(await fingerprint('short')).toMatch(/^[0-9a-f]{8}$/);
    expect(await fingerprint('')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('fingerprintAll', () => {
  it('maps each distinct non-empty value to its fingerprint', async () => {
    const map = await fingerprintAll([TOKEN, TOKEN, '', 'another-long-value']);
    expect([...map.keys()]).toEqual([TOKEN, 'another-long-value']);
    expect(map.get(TOKEN)).toBe(await fingerprint(TOKEN));
  });
});
