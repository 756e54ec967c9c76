export type { BreakerState, CircuitBreakerOptions } from './circuit-breaker.js';
export type { ColdRange, ColdTier } from './cold-tier.js';
export type {
  HotSnapshot,
  HotSnapshotRead,
  SnapshotChange,
  SnapshotPromoteOutcome,
  SnapshotWriteOutcome,
} from './hot-snapshot.js';
export type {
  CopyNotices,
  CopyWatch,
  ExtendOutcome,
  HotCopyBounds,
  HotRead,
  HotReadRange,
  HotTier,
  HotWrite,
  PromoteOutcome,
} from './hot-tier.js';
export { createMemoryColdTier, MemoryColdTier } from './memory-cold-tier.js';
export type { RedisHotClient } from './redis-hot-client.js';
export { recommendedHotRedisOptions } from './redis-hot-client.js';
export { DEFAULT_HOT_KEY_PREFIX } from './redis-hot-keys.js';
export type { RedisHotTierOptions } from './redis-hot-tier.js';
export { createRedisHotTier, RedisHotTier } from './redis-hot-tier.js';
export { createTieredEventStore, TieredEventStore } from './tiered-event-store.js';
export type { TieredLogger } from './tiered-logger.js';
export { TieredSnapshotStore } from './tiered-snapshot-store.js';
export type {
  InvalidationReason,
  MissReason,
  TieredSnapshotStats,
  TieredStoreEventName,
  TieredStoreEvents,
  TieredStoreListener,
  TieredStoreStats,
} from './tiered-store-events.js';
export type { Consistency, TieredEventStoreOptions } from './tiered-store-options.js';
