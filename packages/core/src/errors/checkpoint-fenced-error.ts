import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * A checkpoint save carried a lease's fencing token lower than one that already wrote the
 * checkpoint: a newer lease holder has taken over, so this runner's lease is stale. Nothing was
 * written. Stop processing and give the lease up; retrying with the same fence fails the same way.
 */
export class CheckpointFencedError extends StrataError {
  static readonly code = 'STRATA_CHECKPOINT_FENCED';
  override readonly name: string = 'CheckpointFencedError';
  readonly checkpointName: string;
  /** The fence the refused save carried. */
  readonly fence: bigint;
  /** The highest fence that has written the checkpoint. */
  readonly currentFence: bigint;

  constructor(checkpointName: string, fence: bigint, currentFence: bigint) {
    super(
      CheckpointFencedError.code,
      `Checkpoint "${checkpointName}" was written under fence ${currentFence}; a save with the lower ` +
        `fence ${fence} is refused. A newer lease holder runs this projector: stop this runner.`,
    );
    this.checkpointName = checkpointName;
    this.fence = fence;
    this.currentFence = currentFence;
  }

  static override isInstance(error: unknown): error is CheckpointFencedError {
    return hasErrorCode(error, CheckpointFencedError.code);
  }
}
