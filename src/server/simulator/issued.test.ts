import { describe, expect, it } from 'vitest';
import { IssuedMap } from './issued.ts';

describe('IssuedMap', () => {
  it('finds the oldest live entry in issue order, skipping deleted ones', () => {
    const map = new IssuedMap<number>();
    expect(map.oldest()).toBeUndefined();
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
    map.delete('a');
    map.delete('c');
    expect(map.oldest()).toEqual(['b', 1]);
    map.delete('b');
    expect(map.oldest()).toEqual(['d', 3]);
    expect(map.size).toBe(1);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.oldest()).toBeUndefined();
  });

  it('dropOldestWhile stops at the first live entry; deleteWhere scans them all', () => {
    const map = new IssuedMap<number>();
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 9],
      ['d', 3],
    ] as const)
      map.set(key, value);
    map.dropOldestWhile((v) => v < 5);
    expect(map.oldest()).toEqual(['c', 9]);
    expect(map.get('d')).toBe(3);
    map.deleteWhere((v) => v < 5);
    expect(map.size).toBe(1);
    expect(map.get('d')).toBeUndefined();
  });

  it('its queue stays bounded by the live keys, however many pass through', () => {
    const map = new IssuedMap<number>();
    // As codes: issued and exchanged at once.
    for (let i = 0; i < 50_000; i++) {
      map.set(`k${i}`, i);
      map.delete(`k${i}`);
    }
    expect(map.queued).toBeLessThanOrEqual(1025);
    // As capped pairs: the oldest evicted as each new one arrives.
    for (let i = 0; i < 100; i++) map.set(`live${i}`, i);
    for (let i = 0; i < 50_000; i++) {
      map.delete(map.oldest()![0]);
      map.set(`n${i}`, i);
    }
    expect(map.size).toBe(100);
    expect(map.queued).toBeLessThanOrEqual(2 * 100 + 1025);
    expect(map.oldest()).toEqual(['n49900', 49_900]);
  });
});
