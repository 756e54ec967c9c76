export type { MysqlAppendContext, MysqlAppendHook } from './mysql-append-hook.js';
export { MysqlCheckpointStore } from './mysql-checkpoint-store.js';
export { MysqlDeadLetterStore } from './mysql-dead-letter-store.js';
export type {
  MysqlConnection,
  MysqlPool,
  MysqlQueryable,
  MysqlResultHeader,
  MysqlStatement,
  MysqlValue,
} from './mysql-driver.js';
export { createMysqlEventStore, MysqlEventStore } from './mysql-event-store.js';
export { MysqlKeyStore } from './mysql-key-store.js';
export { MysqlLease, MysqlLeaseProvider } from './mysql-lease-provider.js';
export type { MigrateOptions, MigrateResult } from './mysql-migrate.js';
export { migrate } from './mysql-migrate.js';
export { MysqlSnapshotStore } from './mysql-snapshot-store.js';
export type { MysqlStoreOptions } from './mysql-store-options.js';
export { DEFAULT_TABLE_PREFIX } from './mysql-table-names.js';
