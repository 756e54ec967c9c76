import type { BreakerState } from './circuit-breaker.js';

/**
 * Why a read did not come from the hot tier:
 * - `absent`: no copy of the stream; `uncovered`: the copy starts after the requested range;
 * - `stale`: the copy was behind the warm store (the missing tail was read from warm and appended);
 * - `unavailable`: the hot tier was skipped (breaker open, a failed call, or this store has a
 *   pending invalidation for the stream).
 */
export type MissReason = 'absent' | 'uncovered' | 'stale' | 'unavailable';

/**
 * Why a copy was deleted: `conflict` (the warm store refused an append with `ConcurrencyError`),
 * `append` (an append did not line up with the copy, or its outcome is unknown), `broken` (a key
 * had expired or the bounds did not match the events), `ahead` (the copy reached past the warm
 * store's version), `pending` (an invalidation that failed earlier, retried once Redis was back).
 */
export type InvalidationReason = 'conflict' | 'append' | 'broken' | 'ahead' | 'pending' | 'rewritten';

/** Every event the tiered store emits, with its payload. Subscribe with `store.on(name, listener)`. */
export interface TieredStoreEvents {
  hit: { streamId: string };
  miss: { streamId: string; reason: MissReason };
  promotion: { streamId: string; fromVersion: number; toVersion: number };
  writeThrough: { streamId: string; toVersion: number };
  writeThroughFailure: { streamId: string; error: unknown };
  invalidation: { streamId: string; reason: InvalidationReason };
  /** A hot-tier call failed (the store carried on from the warm store). */
  hotError: { operation: string; error: unknown };
  breaker: { state: BreakerState; previous: BreakerState };
  coldRead: { streamId: string; fromVersion: number; toVersion: number; events: number };
}

export type TieredStoreEventName = keyof TieredStoreEvents;
export type TieredStoreListener<K extends TieredStoreEventName> = (payload: TieredStoreEvents[K]) => void;

/** The counters behind `stats()`. */
export interface TieredStoreStats {
  /** Reads served entirely from the hot tier. */
  hits: number;
  /** Reads (or streams of a `readStreams` call) that needed the warm store, by reason. */
  misses: number;
  missesByReason: Record<MissReason, number>;
  /** Copies stored in the hot tier after a miss. */
  promotions: number;
  /** Appends whose events were added to the stream's copy. */
  writeThroughs: number;
  /** Appends after which the write-through looked at the stream's copy (one Redis call each). */
  looks: number;
  /**
   * Appends that did not need to look: a stream's first append, or one this store knows has no
   * copy (copy notices). Looks that stay high against these mean the notices are not working
   * (a Redis Cluster, or a user without `SUBSCRIBE` on the channel).
   */
  looksSkipped: number;
  /** Appends after which the hot tier could not be updated (the append itself succeeded). */
  writeThroughFailures: number;
  /** Copies deleted. */
  invalidations: number;
  /** Hot-tier calls that failed. */
  hotErrors: number;
  /** Streams whose copy this store must still delete once the hot tier answers again. */
  pendingInvalidations: number;
  /** Reads that needed archived events from the cold tier. */
  coldReads: number;
  breaker: BreakerState;
  /** How often the breaker opened. */
  breakerOpenings: number;
  /** The same for `store.snapshots` (see `TieredSnapshotStats`). */
  snapshots: TieredSnapshotStats;
}

/** What `store.snapshots` did: loads answered from the hot tier or warm, and copies written. */
export interface TieredSnapshotStats {
  /** Loads answered from the hot copy. */
  hits: number;
  /** Loads answered by the warm snapshot store. */
  misses: number;
  /** Warm answers stored as the copy. */
  promotions: number;
  /** Saves and deletes after which the copy is the newest snapshot (or none) without a warm read. */
  writeThroughs: number;
}
