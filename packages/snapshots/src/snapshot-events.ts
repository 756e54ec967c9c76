/** Why a stored snapshot was not used; the load replayed from an older one or from the start. */
export type IgnoredReason =
  /** Of another state shape, with no upgrader registered from it. */
  | 'state-version'
  /** Corrupt bytes, an unknown codec, or a state the value codec cannot decode. */
  | 'unreadable'
  /** The aggregate's `restoreState` threw on it. */
  | 'rejected'
  /** The snapshot store could not be read. */
  | 'load-failed';

/** What the snapshotter reports, for logs and metrics. A listener that throws is ignored. */
export type SnapshotEvent =
  | { type: 'restored'; streamId: string; version: number }
  | { type: 'upgraded'; streamId: string; version: number; fromStateVersion: number; toStateVersion: number }
  | { type: 'ignored'; streamId: string; version: number; reason: IgnoredReason; error?: unknown }
  | {
      type: 'written';
      streamId: string;
      version: number;
      codec: string;
      /** Bytes of the state's JSON. */
      bytes: number;
      /** Bytes actually stored (base64 of the compressed JSON when compressed). */
      storedBytes: number;
      ms: number;
    }
  | { type: 'write-failed'; streamId: string; version: number; error: unknown };

/** Running totals since the snapshotter was created. */
export interface SnapshotStats {
  restored: number;
  upgraded: number;
  /** Snapshots of another state shape that no upgrader could move forward. */
  ignoredStateVersion: number;
  unreadable: number;
  rejected: number;
  loadFailures: number;
  written: number;
  writeFailures: number;
  /** Snapshots not taken because one for the same stream was still being written. */
  skippedInFlight: number;
}

export function emptyStats(): SnapshotStats {
  return {
    restored: 0,
    upgraded: 0,
    ignoredStateVersion: 0,
    unreadable: 0,
    rejected: 0,
    loadFailures: 0,
    written: 0,
    writeFailures: 0,
    skippedInFlight: 0,
  };
}
