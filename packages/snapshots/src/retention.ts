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

export interface PruneOptions {
  /** Only these streams; default every stream with a snapshot, listed page by page. */
  streamIds?: Iterable<string>;
  /** Streams listed per page when `streamIds` is not given. Default 500. */
  pageSize?: number;
  /** Milliseconds since the epoch that ages are measured from; default now. */
  now?: number;
}

/**
 * Deletes the snapshots that the rules let go, stream by stream, and never the newest snapshot of
 * a stream. Walks each stream's snapshots from the newest down (one `loadSnapshot` per snapshot
 * kept) and deletes everything from the first one that is over the count or too old.
 */
export async function pruneSnapshots(
  store: SnapshotStore,
  rules: RetentionOptions,
  options: PruneOptions = {},
): Promise<PruneResult> {
  checkRetention(rules);
  const keepCount = rules.keepCount ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? Date.now();
  const cutoff = rules.maxAgeDays === undefined ? Number.NEGATIVE_INFINITY : now - rules.maxAgeDays * DAY_MS;
  let streams = 0;
  let deleted = 0;
  const streamIds = options.streamIds ? new Set(options.streamIds) : listAll(store, options.pageSize ?? 500);
  for await (const streamId of streamIds) {
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

async function* listAll(store: SnapshotStore, pageSize: number): AsyncGenerator<string> {
  let after: string | undefined;
  for (;;) {
    const page = await store.listSnapshotStreams({
      limit: pageSize,
      ...(after === undefined ? {} : { after }),
    });
    yield* page;
    if (page.length < pageSize) return;
    // A store whose `after` is inclusive would loop forever: stop with a clear error instead.
    if (after !== undefined && page.includes(after)) {
      throw new Error(`listSnapshotStreams({ after: "${after}" }) returned "${after}" again; cannot page`);
    }
    after = page.at(-1);
  }
}
