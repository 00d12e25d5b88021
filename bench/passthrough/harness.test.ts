import { describe, expect, it } from 'vitest';
import { median, medianInterval } from './harness.ts';

describe('medianInterval', () => {
  it('brackets the median, narrower as the rounds agree, the same on every run', () => {
    // 72 rounds spread evenly over 0.95-1.15 (median 1.05), and 72 over 1.04-1.06.
    const wide = Array.from({ length: 72 }, (_, i) => 0.95 + (0.2 * i) / 71);
    const narrow = Array.from({ length: 72 }, (_, i) => 1.04 + (0.02 * i) / 71);
    const [lo, hi] = medianInterval(wide);
    expect(lo).toBeLessThan(median(wide));
    expect(hi).toBeGreaterThan(median(wide));
    // A resampled median of 72 evenly spread values stays within the middle third of them.
    expect(lo).toBeGreaterThan(1.0);
    expect(hi).toBeLessThan(1.1);
    const [nlo, nhi] = medianInterval(narrow);
    expect(nhi - nlo).toBeCloseTo((hi - lo) / 10, 2);
    expect(medianInterval(wide)).toEqual([lo, hi]);
    expect(medianInterval([1.02, 1.02, 1.02])).toEqual([1.02, 1.02]);
    expect(medianInterval([])).toEqual([NaN, NaN]);
  });
});
