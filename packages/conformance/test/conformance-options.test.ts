import { MemoryEventStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE, resolveScale } from '../src/conformance-options.js';

const create = async () => new MemoryEventStore();

describe('resolveScale', () => {
  it('fills in the defaults, keeping what the adapter set', () => {
    expect(resolveScale({ create })).toEqual(DEFAULT_SCALE);
    expect(resolveScale({ create, scale: { raceRepetitions: 2, propertyRuns: undefined } })).toEqual({
      ...DEFAULT_SCALE,
      raceRepetitions: 2,
    });
  });

  it('rejects a scale that would make a topic meaningless', () => {
    expect(() => resolveScale({ create, scale: { largeStreamEvents: 0 } })).toThrow(/largeStreamEvents/);
    expect(() => resolveScale({ create, scale: { propertyRuns: 2.5 } })).toThrow(/propertyRuns/);
  });
});
