/** State an aggregate was restored from, and the stream version it includes. */
export interface RestoredState {
  version: number;
  state: unknown;
}

/** Where a snapshot is looked up: the stream, and the newest version a load may start from. */
export interface SnapshotLookup {
  streamId: string;
  streamType: string;
  /** Only a snapshot at or below this version may be used (a load as of an earlier version). */
  toVersion?: number;
}

/** What one load cost, measured by the repository as it replayed. */
export interface LoadReport {
  streamId: string;
  streamType: string;
  /** The version the aggregate reached. */
  version: number;
  /** The version of the snapshot the load started from; 0 when it replayed from the start. */
  snapshotVersion: number;
  /** Events applied after the snapshot. */
  eventsReplayed: number;
  /** Milliseconds spent reading and applying those events. */
  replayMs: number;
}

/** What the repository knows right after a save committed. */
export interface SavedAggregate {
  streamId: string;
  streamType: string;
  /** The stream version after the save. */
  version: number;
  /**
   * The aggregate's state at `version`. Call it before `saved` returns, or never: afterwards the
   * caller may already have changed the aggregate.
   */
  takeState: () => unknown;
}

/**
 * The part of snapshotting that `AggregateRepository` calls. `@strata/snapshots` implements it
 * (`snapshotting({...})`); core only defines the calls, so the repository has no dependency on a
 * codec, a strategy or a store.
 *
 * None of these calls may fail a load or a save: a snapshot that cannot be used makes `restore`
 * return `undefined` (the load replays the events), and a snapshot that cannot be written is
 * reported by the implementation, never thrown.
 */
export interface AggregateSnapshots {
  /** The newest usable state for the lookup, or `undefined` to replay from the first event. */
  restore(lookup: SnapshotLookup): Promise<RestoredState | undefined>;
  /** The aggregate could not take the restored state (its `restoreState` threw); the load replayed instead. */
  rejected(lookup: SnapshotLookup, version: number, error: unknown): void;
  /** After every load, with what it cost; must be cheap and synchronous. */
  loaded(report: LoadReport): void;
  /** After every committed save. Decides, and writes in the background: must return at once. */
  saved(aggregate: SavedAggregate): void;
}
