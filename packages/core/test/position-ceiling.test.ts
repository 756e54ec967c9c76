import { describe, expect, it } from 'vitest';
import { assertPositionAvailable, MAX_POSITION, PositionsExhaustedError } from '../src/index.js';

describe('assertPositionAvailable', () => {
  it('accepts every position up to 2^63 - 1, exactly', () => {
    expect(() => assertPositionAvailable('memory', MAX_POSITION)).not.toThrow();
    expect(() => assertPositionAvailable('memory', 2n ** 53n + 1n)).not.toThrow();
  });

  it('refuses the first position past it, with the typed error', () => {
    expect(() => assertPositionAvailable('memory', MAX_POSITION + 1n)).toThrow(PositionsExhaustedError);
  });
});
