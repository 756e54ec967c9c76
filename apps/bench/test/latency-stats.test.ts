import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency } from '../src/tiered/latency-stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('returns a sample, never a blend: p50 of 1..100 is 50, p99 is 99, p100 the max', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
  });

  it('takes the smallest sample with at least q of the samples at or below it', () => {
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    // Below 100 samples p99 is the maximum: nothing is interpolated past the data.
    expect(percentile([5, 1, 9, 7], 0.99)).toBe(9);
    expect(percentile([42], 0.01)).toBe(42);
  });

  it('refuses no samples and a q outside (0, 1]', () => {
    expect(() => percentile([], 0.5)).toThrow();
    expect(() => percentile([1], 0)).toThrow();
    expect(() => percentile([1], 1.5)).toThrow();
  });
});

describe('summarizeLatency', () => {
  it('gives count, p50, p99 and max without reordering the input', () => {
    const samples = [0.4, 0.1, 0.3, 0.2];
    expect(summarizeLatency(samples)).toEqual({ count: 4, p50: 0.2, p99: 0.4, max: 0.4 });
    expect(samples).toEqual([0.4, 0.1, 0.3, 0.2]);
  });
});
