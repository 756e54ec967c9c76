import { assertName, type CheckpointStore, ValidationError } from '@strata/core';

/** The checkpoint a migration keeps its place in, unless `checkpointName` names another. */
export const DEFAULT_MIGRATION_CHECKPOINT = 'strata.upcasting.migrate-events';
const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 10_000;
const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;

export interface MigrateEventsOptions {
  /**
   * Where the run records how far it got, after every batch, so a run that was stopped (or
   * killed) resumes there. Use the store's own (`store.checkpoints` in the SQL and Redis adapters).
   * Read, never written, in a dry run. The checkpoint is deleted when a run finishes, so the next
   * run (after new upcasters, say) reads the whole log again.
   */
  checkpoints: CheckpointStore;
  /** Defaults to `'strata.upcasting.migrate-events'`. Give two migrations of one store different names. */
  checkpointName?: string;
  /** Events read (and rewritten) per batch, 1 to 10,000; default 500. */
  batchSize?: number;
  /**
   * Writes of one batch in flight at once, 1 to 64; default 4. On a store with the batch form
   * (`rewriteEvents`), a batch is committed in parts of at most `MAX_REWRITE_BATCH_SIZE` (1,000)
   * rewrites, and this many parts run at once: with a `batchSize` of 1,000 or less a batch is one
   * commit and this has no effect. On a store without it, each rewrite is its own atomic write (a
   * commit, an fsync), and this many are in flight: on a server they share commits, on SQLite they queue.
   */
  concurrency?: number;
  /** Reads and reports what a run would rewrite, and writes nothing, the checkpoint included. */
  dryRun?: boolean;
  /**
   * How many events the run will read, if you know it: a dry run's `examined`, from the same
   * checkpoint. Progress then reports `left`.
   */
  total?: number;
  /** Called after every batch. Runs inside the migration: keep it quick, and do not throw. */
  onProgress?: (progress: MigrationProgress) => void;
}

export interface MigrationProgress {
  /** Events read by this run so far. */
  done: number;
  /** Events this run has rewritten so far (in a dry run: would rewrite). */
  rewritten: number;
  /** Events read per second since this run started. */
  perSecond: number;
  /** Events left to read, when `options.total` was given. */
  left: number | undefined;
  /** The position of the last event read. */
  position: bigint;
}

export interface ResolvedMigrationOptions {
  checkpoints: CheckpointStore;
  checkpointName: string;
  batchSize: number;
  concurrency: number;
  dryRun: boolean;
  total: number | undefined;
  onProgress: ((progress: MigrationProgress) => void) | undefined;
}

export function resolveMigrationOptions(options: MigrateEventsOptions): ResolvedMigrationOptions {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'must be an object');
  const {
    checkpoints,
    batchSize = DEFAULT_BATCH_SIZE,
    concurrency = DEFAULT_CONCURRENCY,
    total,
    onProgress,
  } = options;
  if (
    typeof checkpoints?.loadCheckpoint !== 'function' ||
    typeof checkpoints.saveCheckpoint !== 'function' ||
    typeof checkpoints.deleteCheckpoint !== 'function'
  ) {
    throw new ValidationError(
      'options.checkpoints',
      'must be a CheckpointStore (the store keeps its place there)',
    );
  }
  const checkpointName = options.checkpointName ?? DEFAULT_MIGRATION_CHECKPOINT;
  assertName(checkpointName, 'options.checkpointName');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ValidationError('options.batchSize', `must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new ValidationError('options.concurrency', `must be an integer from 1 to ${MAX_CONCURRENCY}`);
  }
  if (total !== undefined && (!Number.isSafeInteger(total) || total < 0)) {
    throw new ValidationError('options.total', 'must be an integer >= 0');
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ValidationError('options.onProgress', 'must be a function');
  }
  if (options.dryRun !== undefined && typeof options.dryRun !== 'boolean') {
    throw new ValidationError('options.dryRun', 'must be a boolean');
  }
  const dryRun = options.dryRun ?? false;
  return { checkpoints, checkpointName, batchSize, concurrency, dryRun, total, onProgress };
}
