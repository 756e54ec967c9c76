export { RedisCheckpointStore } from './redis-checkpoint-store.js';
export { RedisDeadLetterStore } from './redis-dead-letter-store.js';
export { createRedisEventStore, RedisEventStore } from './redis-event-store.js';
export { RedisKeyStore } from './redis-key-store.js';
export type { RedisLeaseOptions } from './redis-lease-provider.js';
export { DEFAULT_LEASE_TTL_MS, RedisLeaseProvider } from './redis-lease-provider.js';
export { RedisSnapshotStore } from './redis-snapshot-store.js';
export type { RedisClient, RedisStoreOptions } from './redis-store-options.js';
export { recommendedRedisOptions } from './redis-store-options.js';
