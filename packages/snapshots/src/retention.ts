import { type SnapshotStore, ValidationError } from '@strata/core';

export interface RetentionOptions {
  /** Keep at most this many snapshots per stream (the newest ones). */
  keepCount?: number;
  /** Delete snapshots older than this many days. */
  maxAgeDays?: number;
}

export interface PruneResult {
  streams: number;
  deleted: number;
}

const DAY_MS = 86_400_000;

export function checkRetention(options: RetentionOptions): void {
  if (options.keepCount === undefined && options.maxAgeDays === undefined) {
    throw new ValidationError('retention', 'give keepCount, maxAgeDays or both');
  }
  if (
    options.keepCount !== undefined &&
    (!Number.isSafeInteger(options.keepCount) || options.keepCount < 1)
  ) {
    throw new ValidationError(
      'retention.keepCount',
      'must be an integer >= 1 (the newest snapshot is always kept)',
    );
  }
  if (options.maxAgeDays !== undefined && !(options.maxAgeDays > 0)) {
    throw new ValidationError('retention.maxAgeDays', 'must be a number of days > 0');
  }
}

/**
 * Deletes the snapshots that the rules let go, stream by stream, and never the newest snapshot of
 * a stream. Walks each stream's snapshots from the newest down (one `loadSnapshot` per snapshot
 * kept) and deletes everything from the first one that is over the count or too old.
 */
export async function pruneSnapshots(
  store: SnapshotStore,
  streamIds: Iterable<string>,
  options: RetentionOptions,
  now: number = Date.now(),
): Promise<PruneResult> {
  checkRetention(options);
  const keepCount = options.keepCount ?? Number.POSITIVE_INFINITY;
  const cutoff =
    options.maxAgeDays === undefined ? Number.NEGATIVE_INFINITY : now - options.maxAgeDays * DAY_MS;
  let streams = 0;
  let deleted = 0;
  for (const streamId of new Set(streamIds)) {
    streams++;
    let snapshot = await store.loadSnapshot(streamId);
    for (let kept = 1; snapshot !== undefined; kept++) {
      const older = await store.loadSnapshot(streamId, { maxVersion: snapshot.version - 1 });
      if (older === undefined) break;
      if (kept >= keepCount || older.createdAt.getTime() < cutoff) {
        deleted += await store.deleteSnapshots(streamId, { beforeVersion: older.version + 1 });
        break;
      }
      snapshot = older;
    }
  }
  return { streams, deleted };
}
