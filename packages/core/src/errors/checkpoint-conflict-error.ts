import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * A compare-and-set checkpoint save found another position than it expected: another runner moved
 * (or created, or deleted) the checkpoint since this one read it. Nothing was written. The runner
 * has lost the race: reload the checkpoint and decide again, or stop.
 */
export class CheckpointConflictError extends StrataError {
  static readonly code = 'STRATA_CHECKPOINT_CONFLICT';
  override readonly name: string = 'CheckpointConflictError';
  readonly checkpointName: string;
  /** What the save expected: a position, or `null` for "no checkpoint yet". */
  readonly expectedPosition: bigint | null;
  /** The stored position when the save was refused, or `null` when there was no checkpoint. */
  readonly actualPosition: bigint | null;

  constructor(checkpointName: string, expectedPosition: bigint | null, actualPosition: bigint | null) {
    super(
      CheckpointConflictError.code,
      `Checkpoint "${checkpointName}" is ${describe(actualPosition)}, but the save expected it ` +
        `${describe(expectedPosition)}. Another runner moved it: reload the checkpoint before going on.`,
    );
    this.checkpointName = checkpointName;
    this.expectedPosition = expectedPosition;
    this.actualPosition = actualPosition;
  }

  static override isInstance(error: unknown): error is CheckpointConflictError {
    return hasErrorCode(error, CheckpointConflictError.code);
  }
}

function describe(position: bigint | null): string {
  return position === null ? 'absent' : `at position ${position}`;
}
