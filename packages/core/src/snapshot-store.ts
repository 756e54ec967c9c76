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

export interface ListSnapshotStreamsOptions {
  /** Only ids after this one in the store's order: pass the last id of the previous page. */
  after?: string;
  /** At most this many ids; defaults to 1,000. */
  limit?: number;
}

export interface SnapshotStore {
  /** Saves (or replaces) the snapshot of `streamId` at `version`. */
  saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void>;
  /** The newest matching snapshot, or `undefined`. */
  loadSnapshot(streamId: string, options?: LoadSnapshotOptions): Promise<Snapshot | undefined>;
  /**
   * One page of the ids of streams that have at least one snapshot, in the store's own order
   * (stable, so paging with `after` visits each stream once). For retention jobs.
   */
  listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]>;
  /** Deletes the stream's snapshots below `beforeVersion` (all when absent); returns how many. */
  deleteSnapshots(streamId: string, options?: { beforeVersion?: number }): Promise<number>;
}
