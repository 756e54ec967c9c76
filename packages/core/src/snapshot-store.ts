/**
 * Saved aggregate state, so loading does not replay the whole stream. `stateVersion` is the
 * version of the state's shape: when the aggregate's state changes shape, bump it, and snapshots
 * of the old shape are ignored instead of being loaded into the new one.
 */
export interface Snapshot<S = unknown> {
  streamId: string;
  /** The stream version the state includes. Unique per stream. */
  version: number;
  stateVersion: number;
  state: S;
  createdAt: Date;
}

export interface LoadSnapshotOptions {
  /** Only snapshots of this state shape; defaults to any. */
  stateVersion?: number;
  /** Only snapshots at or below this stream version (for loading state as of an earlier version). */
  maxVersion?: number;
}

export interface SnapshotStore {
  /** Saves (or replaces) the snapshot of `streamId` at `version`. */
  saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void>;
  /** The newest matching snapshot, or `undefined`. */
  loadSnapshot(streamId: string, options?: LoadSnapshotOptions): Promise<Snapshot | undefined>;
  /** Deletes the stream's snapshots below `beforeVersion` (all when absent); returns how many. */
  deleteSnapshots(streamId: string, options?: { beforeVersion?: number }): Promise<number>;
}
