export type { SqliteAppendContext, SqliteAppendHook } from './sqlite-append-hooks.js';
export type { SqliteCheckpointStore } from './sqlite-checkpoint-store.js';
export type { SqliteDatabase, SqliteRunResult, SqliteStatement } from './sqlite-database.js';
export { createSqliteEventStore, SqliteEventStore } from './sqlite-event-store.js';
export type { MigrateOptions, MigrateResult } from './sqlite-migrate.js';
export { migrate } from './sqlite-migrate.js';
export type { SqliteSnapshotStore } from './sqlite-snapshot-store.js';
export type { SqliteStoreOptions, SqliteSynchronous } from './sqlite-store-options.js';
export { DEFAULT_TABLE_PREFIX } from './sqlite-table-names.js';
