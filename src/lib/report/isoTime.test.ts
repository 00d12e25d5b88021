import { describe, expect, it } from 'vitest';
import { isoTime } from './isoTime.ts';

describe('isoTime', () => {
  it('is toISOString, for any time', () => {
    const edges = [
      0,
      -1,
      1,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      -62_167_219_200_000,
      -62_167_219_200_001,
      253_402_300_799_999,
      253_402_300_800_000,
      1.5,
      -0.5,
      8.64e15,
    ];
    // A seeded walk over the years 0000–9999 and beyond, in any order (the day cache changes).
    let x = 12345;
    const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const times = [...edges, ...Array.from({ length: 5000 }, () => Math.round(random() * 3e14))];
    for (const t of times) expect(isoTime(t), String(t)).toBe(new Date(t).toISOString());
  });

  it('steps a second at a time across a day', () => {
    const start = Date.UTC(2025, 0, 6, 23, 59, 58, 250);
    for (let i = 0; i < 5; i++)
      expect(isoTime(start + i * 1000)).toBe(new Date(start + i * 1000).toISOString());
  });
});
