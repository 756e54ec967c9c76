import type { CheckpointState, SaveCheckpointOptions } from './checkpoint-store.js';
import { CheckpointConflictError } from './errors/checkpoint-conflict-error.js';
import { CheckpointFencedError } from './errors/checkpoint-fenced-error.js';
import { ValidationError } from './errors/validation-error.js';
import { assertName } from './prepare-append.js';
import { assertCheckpointPosition, MAX_POSITION } from './snapshot-input.js';

/** A checkpoint save checked completely, ready for an adapter to guard and write. */
export interface PreparedCheckpointSave {
  name: string;
  position: bigint;
  /** `undefined`: unconditional; `null`: the checkpoint must not exist; a bigint: must be there. */
  expectedPosition: bigint | null | undefined;
  /** `undefined`: not fenced. */
  fence: bigint | undefined;
}

/** Validates `saveCheckpoint` arguments. Adapter authors: call this first. */
export function prepareSaveCheckpoint(
  name: string,
  position: bigint,
  options: SaveCheckpointOptions = {},
): PreparedCheckpointSave {
  assertName(name, 'name');
  assertCheckpointPosition(position);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object');
  }
  const { expectedPosition, fence } = options;
  if (expectedPosition !== undefined && expectedPosition !== null) {
    assertStoredBigint(expectedPosition, 'options.expectedPosition', ', or null');
  }
  if (fence !== undefined) assertStoredBigint(fence, 'options.fence', '');
  return { name, position, expectedPosition, fence };
}

/**
 * Why the stored checkpoint (`undefined` when absent) refuses this save, or `undefined` when the
 * save may go ahead. The fence is checked first. Adapters run this where the check is atomic with
 * the write (in memory, in a transaction, in a script), or after a conditional write that changed
 * nothing, to say why.
 */
export function checkpointRefusal(
  save: PreparedCheckpointSave,
  current: CheckpointState | undefined,
): CheckpointConflictError | CheckpointFencedError | undefined {
  const currentFence = current?.fence ?? null;
  if (save.fence !== undefined && currentFence !== null && save.fence < currentFence) {
    return new CheckpointFencedError(save.name, save.fence, currentFence);
  }
  if (save.expectedPosition === undefined) return undefined;
  const actual = current?.position ?? null;
  if (actual !== save.expectedPosition) {
    return new CheckpointConflictError(save.name, save.expectedPosition, actual);
  }
  return undefined;
}

/** The checkpoint an accepted save leaves: its position, and its fence if it carried one. */
export function checkpointAfter(
  save: PreparedCheckpointSave,
  current: CheckpointState | undefined,
): CheckpointState {
  return { position: save.position, fence: save.fence ?? current?.fence ?? null };
}

function assertStoredBigint(value: unknown, path: string, orElse: string): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_POSITION) {
    throw new ValidationError(path, `must be a bigint from 0 to 2^63 - 1${orElse}`);
  }
}
