import { describe, expect, it } from 'vitest';
import { median, relativeSpread, summarize } from '../src/median-stats.js';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow();
  });
});

describe('summarize', () => {
  it('keeps the samples in run order with median, min and max', () => {
    const summary = summarize([90, 110, 100]);
    expect(summary).toEqual({ median: 100, min: 90, max: 110, samples: [90, 110, 100] });
    expect(relativeSpread(summary)).toBeCloseTo(0.1);
  });
});
