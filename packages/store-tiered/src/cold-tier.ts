import type { RecordedEvent } from '@strata/core';

/** The versions of one stream a cold read asks for, both inclusive. */
export interface ColdRange {
  fromVersion: number;
  toVersion: number;
}

/**
 * Archived events, read-only. After archival the warm store holds a stream only from some version
 * k on (its `readStream` returns versions >= k, and its `streamVersion` still counts the archived
 * ones); the cold tier holds versions 1..k-1. Throw `StoreUnavailableError` when the archive
 * cannot be reached.
 */
export interface ColdTier {
  /** The archived events of `streamId` in `range`, ascending; `[]` when none are archived. */
  readStream(streamId: string, range: ColdRange): Promise<RecordedEvent[]>;
}
