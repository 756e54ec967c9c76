import { type EventStore, type SnapshotStore, ValidationError } from '@strata/core';
import {
  type CircuitBreakerOptions,
  type NormalizedBreakerOptions,
  normalizeBreakerOptions,
} from './circuit-breaker.js';
import type { ColdTier } from './cold-tier.js';
import type { HotTier } from './hot-tier.js';
import { DEFAULT_MAX_PENDING_INVALIDATIONS } from './pending-invalidations.js';
import { warmStorageIdOf } from './storage-scoped-hot.js';
import type { TieredLogger } from './tiered-logger.js';

/**
 * - `'strict'`: a read served from the hot tier reflects every append that completed before the
 *   read began, exactly as the warm store would answer.
 * - `'bounded'`: a hot read may miss appends of other processes that completed less than
 *   `maxStalenessMs` before it began; it never misses this store's own appends.
 */
export type Consistency = 'strict' | 'bounded';

export interface TieredEventStoreOptions {
  /** The truth: every append goes here first, and `readAll` and `streamVersion` always come from here. */
  warm: EventStore;
  /** The cache in front of it, e.g. `createRedisHotTier(redis)`. Without it the store is the warm store. */
  hot?: HotTier;
  /** Archived events, read through when a requested range begins before what the warm store holds. */
  cold?: ColdTier;
  /**
   * The warm storage's id, for a warm store without `storageId()` (required then, with `hot`):
   * the same in every process over that database, different for every other database. Hot copies
   * are kept per id, so a Redis shared by several deployments never serves one's events to another.
   * Overrides the warm store's own `storageId()`.
   */
  warmStorageId?: string;
  /** How long an unused copy stays in the hot tier. Required with `hot`. */
  ttlSeconds?: number;
  /** Defaults to `'strict'`. */
  consistency?: Consistency;
  /** The staleness bound of `'bounded'` reads; defaults to 1,000 ms. */
  maxStalenessMs?: number;
  /** Refresh a copy's TTL on every read of it, not only when it is written; defaults to false. */
  refreshTtlOnRead?: boolean;
  /** The most events one stream's copy holds; a longer stream keeps its newest. Defaults to 10,000. */
  maxCopyEvents?: number;
  breaker?: CircuitBreakerOptions;
  /**
   * The most streams this store remembers whose copy it could not update or delete (see the
   * README's "The hard case"); past it, the oldest are forgotten and bounded reads are checked
   * against the warm store for `maxStalenessMs`. Defaults to 10,000.
   */
  maxPendingInvalidations?: number;
  /** Told once when a hot-tier outage starts and once when it ends; defaults to `console`. */
  logger?: TieredLogger;
  /**
   * The warm snapshot store (of the warm store's own database) behind `store.snapshots`; defaults
   * to the warm store's `snapshots`, when it has one.
   */
  warmSnapshots?: SnapshotStore;
  /**
   * How long a snapshot writer may take between its two hot-tier steps (its warm write) before
   * readers stop waiting for it; defaults to 30,000 ms. See the README's "Snapshots".
   */
  snapshotWriteLeaseMs?: number;
}

export interface HotPolicy {
  hot: HotTier;
  /** The warm storage's id: the option, else the warm store's `storageId()`. */
  warmStorageId: () => Promise<string>;
  ttlSeconds: number;
  consistency: Consistency;
  maxStalenessMs: number;
  refreshTtlOnRead: boolean;
  maxCopyEvents: number;
  maxPendingInvalidations: number;
  breaker: NormalizedBreakerOptions;
  logger: TieredLogger | undefined;
  snapshotWriteLeaseMs: number;
}

export interface NormalizedTieredOptions {
  warm: EventStore;
  /** The option, else the warm store's `snapshots`; `undefined` when neither is there. */
  warmSnapshots: SnapshotStore | undefined;
  cold: ColdTier | undefined;
  /** `undefined` without a hot tier. */
  hot: HotPolicy | undefined;
}

/** Checks every option before anything is used. */
export function normalizeTieredOptions(options: TieredEventStoreOptions): NormalizedTieredOptions {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'must be an object');
  const { warm, hot, cold } = options;
  assertHasMethods(warm, 'options.warm', [
    'append',
    'readStream',
    'readStreams',
    'readAll',
    'streamVersion',
    'close',
  ]);
  if (cold !== undefined) assertHasMethods(cold, 'options.cold', ['readStream']);
  if (
    options.warmStorageId !== undefined &&
    (typeof options.warmStorageId !== 'string' || options.warmStorageId === '')
  ) {
    throw new ValidationError('options.warmStorageId', 'must be a non-empty string');
  }
  if (options.warmSnapshots !== undefined) {
    assertHasMethods(options.warmSnapshots, 'options.warmSnapshots', SNAPSHOT_METHODS);
  }
  const warmSnapshots = options.warmSnapshots ?? ownSnapshots(warm);
  if (hot === undefined) return { warm, warmSnapshots, cold, hot: undefined };
  assertHasMethods(hot, 'options.hot', [
    'read',
    'peek',
    'promote',
    'extend',
    'confirm',
    'invalidate',
    'ping',
    'forStorage',
  ]);
  const warmStorageId = warmStorageIdOf(warm, options.warmStorageId);
  if (warmStorageId === undefined) {
    throw new ValidationError(
      'options.warmStorageId',
      'is required with a hot tier when the warm store has no storageId(): give an id of the warm database, the same in every process over it and different for every other, so hot copies are never served for another database',
    );
  }

  const ttlSeconds = options.ttlSeconds;
  if (ttlSeconds === undefined)
    throw new ValidationError('options.ttlSeconds', 'is required with a hot tier');
  assertInteger(ttlSeconds, 'options.ttlSeconds', 1);
  const consistency = options.consistency ?? 'strict';
  if (consistency !== 'strict' && consistency !== 'bounded') {
    throw new ValidationError('options.consistency', "must be 'strict' or 'bounded'");
  }
  const maxStalenessMs = options.maxStalenessMs ?? 1_000;
  assertInteger(maxStalenessMs, 'options.maxStalenessMs', 0);
  const refreshTtlOnRead = options.refreshTtlOnRead ?? false;
  if (typeof refreshTtlOnRead !== 'boolean') {
    throw new ValidationError('options.refreshTtlOnRead', 'must be a boolean');
  }
  const maxCopyEvents = options.maxCopyEvents ?? 10_000;
  assertInteger(maxCopyEvents, 'options.maxCopyEvents', 1);
  const maxPendingInvalidations = options.maxPendingInvalidations ?? DEFAULT_MAX_PENDING_INVALIDATIONS;
  assertInteger(maxPendingInvalidations, 'options.maxPendingInvalidations', 1);
  const snapshotWriteLeaseMs = options.snapshotWriteLeaseMs ?? DEFAULT_SNAPSHOT_WRITE_LEASE_MS;
  assertInteger(snapshotWriteLeaseMs, 'options.snapshotWriteLeaseMs', 1);
  const logger = options.logger === undefined ? console : options.logger;
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function') {
    throw new ValidationError('options.logger', 'must have a warn(message, details) method');
  }
  return {
    warm,
    warmSnapshots,
    cold,
    hot: {
      hot,
      warmStorageId,
      ttlSeconds,
      consistency,
      maxStalenessMs,
      refreshTtlOnRead,
      maxCopyEvents,
      maxPendingInvalidations,
      breaker: normalizeBreakerOptions(options.breaker),
      logger,
      snapshotWriteLeaseMs,
    },
  };
}

export const DEFAULT_SNAPSHOT_WRITE_LEASE_MS = 30_000;

const SNAPSHOT_METHODS = ['saveSnapshot', 'loadSnapshot', 'listSnapshotStreams', 'deleteSnapshots'];

/** The warm store's own snapshot store, if it exposes a whole one as `snapshots`. */
function ownSnapshots(warm: EventStore): SnapshotStore | undefined {
  const own = (warm as { snapshots?: unknown }).snapshots;
  if (typeof own !== 'object' || own === null) return undefined;
  const methods = own as Record<string, unknown>;
  return SNAPSHOT_METHODS.every((m) => typeof methods[m] === 'function') ? (own as SnapshotStore) : undefined;
}

function assertHasMethods(value: unknown, path: string, methods: string[]): void {
  if (typeof value !== 'object' || value === null) throw new ValidationError(path, 'must be an object');
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw new ValidationError(path, `must have a ${method}() method`);
    }
  }
}

function assertInteger(value: unknown, path: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(path, `must be an integer >= ${min}`);
  }
}
