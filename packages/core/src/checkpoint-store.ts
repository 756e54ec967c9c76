/**
 * How a checkpoint save is guarded. Both guards are checked and the write is made atomically, in
 * the store: two runners cannot both pass them.
 */
export interface SaveCheckpointOptions {
  /**
   * Compare-and-set: save only if the stored position is this one, or, with `null`, only if the
   * checkpoint does not exist yet. Otherwise the save throws `CheckpointConflictError` and writes
   * nothing. Omitted, the save is unconditional.
   */
  expectedPosition?: bigint | null;
  /**
   * A lease's fencing token (0 to 2^63 - 1; each new lease holder gets a higher one). The store
   * keeps the highest fence that has written each checkpoint: a save with a lower fence throws
   * `CheckpointFencedError` and writes nothing; an equal or higher one is accepted and recorded.
   * Omitted, the save is not fenced and leaves the recorded fence as it is.
   */
  fence?: bigint;
}

/** A checkpoint with the highest fence that has written it. */
export interface CheckpointState {
  position: bigint;
  /** The highest fencing token of a save that wrote it, or `null` if none carried one. */
  fence: bigint | null;
}

/**
 * Where a named reader of the global log (a projection) has got to.
 *
 * Rules every store keeps (the conformance kit's `describeCheckpointStore` checks them):
 * - A checkpoint may move backwards (a rebuild resets it); guard such a save with
 *   `expectedPosition` to make sure nobody moved it meanwhile.
 * - When a save has both guards, the fence is checked first: a stale lease holder learns that it is
 *   fenced out (`CheckpointFencedError`) rather than that it lost a race.
 * - `deleteCheckpoint` forgets the position and the fence. A runner under a lease resets a
 *   checkpoint with a guarded save instead, so that the fence survives.
 */
export interface CheckpointStore {
  /** The last position processed, or `undefined` when the reader has not started. */
  loadCheckpoint(name: string): Promise<bigint | undefined>;
  /** The last position processed and the highest fence that wrote it; `undefined` when absent. */
  loadCheckpointState(name: string): Promise<CheckpointState | undefined>;
  /** Records the last position processed, if `options` allow it (see `SaveCheckpointOptions`). */
  saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
}
