import { describe, expect, it } from 'vitest';
import { callTime } from './clock.ts';

describe('callTime', () => {
  it('reads as toLocaleTimeString with 24-hour time, plus milliseconds', () => {
    for (const ms of [
      0,
      1_700_000_000_007,
      1_795_893_474_652,
      Date.UTC(2026, 0, 1, 23, 59, 59, 999),
    ]) {
      const expected = new Date(ms).toLocaleTimeString(undefined, { hour12: false });
      expect(callTime(ms)).toBe(`${expected}.${String(ms % 1000).padStart(3, '0')}`);
    }
  });
});
