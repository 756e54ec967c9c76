import { ValidationError } from '@strata/core';
import type { SqliteDatabase } from './sqlite-database.js';
import { type SqliteTableNames, tableNames } from './sqlite-table-names.js';

/**
 * How hard SQLite works to keep a commit through a power loss (in WAL mode):
 * - `'FULL'`: every commit is fsynced to the WAL before `append` resolves. A commit that
 *   returned survives a power loss or OS crash.
 * - `'NORMAL'`: the WAL is fsynced only at checkpoints. An application crash loses nothing, but
 *   a power loss or OS crash may roll back the last transactions that returned. The database is
 *   never corrupted either way. Appends are several times faster on most disks.
 */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

export interface SqliteStoreOptions<DB extends SqliteDatabase = SqliteDatabase> {
  /**
   * A file path, `':memory:'`, or a better-sqlite3 `Database` you opened. The store closes only a
   * database it opened itself.
   */
  database: string | DB;
  /** Defaults to `'FULL'`. See {@link SqliteSynchronous}. */
  synchronous?: SqliteSynchronous;
  /** How long a call waits for another connection's write lock before `StoreUnavailableError`. Defaults to 5000. */
  busyTimeoutMs?: number;
  /** Prefix of every table name; letters, digits and `_`. Defaults to `'strata_'`. */
  tablePrefix?: string;
  /** Create or upgrade the tables on first use. Defaults to true; see `migrate()` to run it yourself. */
  migrate?: boolean;
  /**
   * Keep an `(event_type, position)` index, so `readAll({ types })` visits only events of those
   * types. Off by default: every append then writes one B-tree page less (a 1-event append is about
   * a quarter faster), and a type-filtered read scans the positions it covers instead; the
   * projection runner moves past what it scanned, so it reads each event once. Turn it on when you
   * run type-filtered reads of rare types from far back. On, the store builds the index on first
   * use if it is missing (once; a while on a large table). Off does not drop an index that exists
   * (another process may want it): `DROP INDEX "strata_events_type_position"` does.
   */
  typeIndex?: boolean;
}

export interface NormalizedSqliteStoreOptions<DB extends SqliteDatabase> {
  database: string | DB;
  synchronous: SqliteSynchronous;
  busyTimeoutMs: number;
  tables: SqliteTableNames;
  migrate: boolean;
  typeIndex: boolean;
}

/** Checks every option before anything is opened. */
export function normalizeStoreOptions<DB extends SqliteDatabase>(
  options: SqliteStoreOptions<DB>,
): NormalizedSqliteStoreOptions<DB> {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'must be an object');
  const { database } = options;
  const isDatabase =
    typeof database === 'object' &&
    database !== null &&
    typeof (database as SqliteDatabase).prepare === 'function';
  if (typeof database !== 'string' && !isDatabase) {
    throw new ValidationError(
      'options.database',
      "must be a file path, ':memory:' or a better-sqlite3 Database",
    );
  }
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new ValidationError('options.synchronous', "must be 'NORMAL' or 'FULL'");
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > 2 ** 31 - 1) {
    throw new ValidationError('options.busyTimeoutMs', 'must be an integer between 0 and 2147483647');
  }
  const migrate = options.migrate ?? true;
  if (typeof migrate !== 'boolean') throw new ValidationError('options.migrate', 'must be a boolean');
  const typeIndex = options.typeIndex ?? false;
  if (typeof typeIndex !== 'boolean') throw new ValidationError('options.typeIndex', 'must be a boolean');
  return {
    database,
    synchronous,
    busyTimeoutMs,
    tables: tableNames(options.tablePrefix),
    migrate,
    typeIndex,
  };
}
