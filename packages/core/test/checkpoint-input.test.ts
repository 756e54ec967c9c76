import { describe, expect, it } from 'vitest';
import {
  CheckpointConflictError,
  CheckpointFencedError,
  checkpointAfter,
  checkpointRefusal,
  prepareSaveCheckpoint,
  ValidationError,
} from '../src/index.js';

describe('prepareSaveCheckpoint', () => {
  it('keeps the guards as given: omitted, null, or a bigint', () => {
    expect(prepareSaveCheckpoint('p', 1n)).toEqual({
      name: 'p',
      position: 1n,
      expectedPosition: undefined,
      fence: undefined,
    });
    expect(prepareSaveCheckpoint('p', 1n, { expectedPosition: null, fence: 0n })).toMatchObject({
      expectedPosition: null,
      fence: 0n,
    });
  });

  it('names the bad guard', () => {
    const pathOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (ValidationError.isInstance(error)) return error.path;
      }
      return undefined;
    };
    expect(pathOf(() => prepareSaveCheckpoint('p', 1n, { expectedPosition: 2n ** 63n }))).toBe(
      'options.expectedPosition',
    );
    expect(pathOf(() => prepareSaveCheckpoint('p', 1n, { fence: -1n }))).toBe('options.fence');
    expect(pathOf(() => prepareSaveCheckpoint('p', 1n, null as never))).toBe('options');
  });
});

describe('checkpointRefusal', () => {
  const save = (expectedPosition: bigint | null | undefined, fence: bigint | undefined) => ({
    name: 'p',
    position: 9n,
    expectedPosition,
    fence,
  });

  it('refuses a lower fence before a wrong position, and says what it found', () => {
    const fenced = checkpointRefusal(save(1n, 2n), { position: 5n, fence: 3n });
    expect(CheckpointFencedError.isInstance(fenced)).toBe(true);
    expect(fenced).toMatchObject({ checkpointName: 'p', fence: 2n, currentFence: 3n });
    const conflict = checkpointRefusal(save(1n, 3n), { position: 5n, fence: 3n });
    expect(CheckpointConflictError.isInstance(conflict)).toBe(true);
    expect(conflict).toMatchObject({ expectedPosition: 1n, actualPosition: 5n });
    expect(checkpointRefusal(save(null, undefined), undefined)).toBeUndefined();
    expect(checkpointRefusal(save(0n, undefined), undefined)).toMatchObject({ actualPosition: null });
    expect(checkpointRefusal(save(undefined, 0n), { position: 5n, fence: null })).toBeUndefined();
  });

  it('an accepted save records its fence, or keeps the stored one', () => {
    expect(checkpointAfter(save(undefined, undefined), { position: 1n, fence: 4n })).toEqual({
      position: 9n,
      fence: 4n,
    });
    expect(checkpointAfter(save(undefined, 6n), { position: 1n, fence: 4n })).toEqual({
      position: 9n,
      fence: 6n,
    });
  });
});
