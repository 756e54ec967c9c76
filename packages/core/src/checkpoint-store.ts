/** Where a named reader of the global log (a projection) has got to. */
export interface CheckpointStore {
  /** The last position processed, or `undefined` when the reader has not started. */
  loadCheckpoint(name: string): Promise<bigint | undefined>;
  /** Records the last position processed. */
  saveCheckpoint(name: string, position: bigint): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
}
