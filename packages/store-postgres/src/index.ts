export type { PostgresAppendContext, PostgresAppendHook } from './postgres-append-hooks.js';
export { PostgresAppendNotifier } from './postgres-append-notifier.js';
export { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
export { PostgresDeadLetterStore } from './postgres-dead-letter-store.js';
export { createPostgresEventStore, PostgresEventStore } from './postgres-event-store.js';
export { PostgresKeyStore } from './postgres-key-store.js';
export { PostgresLease, PostgresLeaseProvider } from './postgres-lease-provider.js';
export type { MigrateResult } from './postgres-migrate.js';
export type {
  PostgresClient,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryConfig,
  PostgresQueryResult,
  PostgresTypeParsers,
} from './postgres-pool.js';
export { PostgresSnapshotStore } from './postgres-snapshot-store.js';
export type { PostgresStoreOptions } from './postgres-store-options.js';
