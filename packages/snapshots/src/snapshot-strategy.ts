/**
 * What a strategy knows when it decides, all measured in this process as the repository loads
 * and saves: deciding never costs a database query.
 */
export interface SnapshotContext {
  streamId: string;
  streamType: string;
  /** The stream version just saved. */
  version: number;
  /** Events since the newest snapshot this process knows of (all of them when it knows none). */
  eventsSinceSnapshot: number;
  /** Milliseconds since that snapshot was written, or since this process first saw the stream. */
  msSinceSnapshot: number;
  /** Average milliseconds to read and apply one event, over recent loads; 0 before the first. */
  replayMsPerEvent: number;
  /** Milliseconds the last load of this stream took; 0 before the first. */
  lastReplayMs: number;
  /** Bytes of the newest snapshot's encoded state (before compression); 0 before the first. */
  stateBytes: number;
  /** Loads of this stream per minute, decayed over about ten minutes. */
  loadsPerMinute: number;
}

/** Answers "snapshot now?" after a save. Pure and synchronous. */
export interface SnapshotStrategy {
  readonly name: string;
  shouldSnapshot(context: SnapshotContext): boolean;
}
