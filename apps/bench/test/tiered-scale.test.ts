import { describe, expect, it } from 'vitest';
import { perRound, rotated, TIERED_FULL_SCALE, TIERED_QUICK_SCALE } from '../src/tiered/tiered-scale.js';

describe('rotated', () => {
  it('starts each round one case later, so every case goes first equally often', () => {
    const cases = ['a', 'b', 'c'];
    expect([0, 1, 2, 3].map((round) => rotated(cases, round).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
    expect(cases).toEqual(['a', 'b', 'c']);
  });
});

describe('perRound', () => {
  it('splits the total over the rounds, at least one per block', () => {
    expect(perRound(1_000, 5)).toBe(200);
    expect(perRound(10, 3)).toBe(3);
    expect(perRound(0, 3)).toBe(1);
  });
});

describe('tiered scales', () => {
  it('give a read count for every stream length', () => {
    for (const scale of [TIERED_FULL_SCALE, TIERED_QUICK_SCALE]) {
      for (const size of scale.sizes) expect(scale.reads[size]).toBeGreaterThan(0);
    }
  });
});
