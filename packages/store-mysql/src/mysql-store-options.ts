import { ValidationError } from '@strata/core';
import type { MysqlPool } from './mysql-driver.js';
import { type MysqlTableNames, tableNames } from './mysql-table-names.js';

export interface MysqlStoreOptions {
  /**
   * A connection string (`mysql://user:password@host:3306/database`) or a mysql2 promise pool you
   * own (`mysql2/promise`'s `createPool()`, or `pool.promise()` of a callback pool). The store ends
   * only a pool it created itself.
   */
  connection: string | MysqlPool;
  /** Connections in the pool the store creates from a connection string. Defaults to 10. */
  poolSize?: number;
  /**
   * How long one statement may take before the call fails with `StoreUnavailableError` (an append
   * in flight is then rolled back by killing its connection), and how long a call waits for a
   * pooled connection (mysql2's pool has no such bound of its own). Defaults to 30,000 ms.
   */
  queryTimeoutMs?: number;
  /** Prefix of every table name; letters, digits and `_`. Defaults to `'strata_'`. */
  tablePrefix?: string;
  /** Create or upgrade the tables on first use. Defaults to true; see `migrate()` to run it yourself. */
  migrate?: boolean;
  /**
   * Hash-partition the events table by stream id into this many partitions (`PARTITION BY KEY`).
   * Takes effect when the tables are created; a store opened with a different count than the
   * table has fails with `ValidationError`. Leave it out to accept whatever the tables have.
   */
  partitions?: number;
  /** Most events one grouped transaction writes (the seed's `batch_size`). Defaults to 1,000. */
  maxBatchEvents?: number;
  /**
   * Keep an `(event_type, position)` index, so `readAll({ types })` and realtime checkpoint
   * advances visit only events of those types. Off by default: every append then writes one index
   * entry less (measured on MariaDB 10.11: 4 to 6% less server time per inserted event; end to end
   * within a loaded machine's noise, see the README), and a type-filtered read walks the primary
   * key over the positions it covers instead; the projection runner moves its read position past
   * what it scanned, so it visits each event once. A realtime checkpoint advance walks back from
   * the append to the first event of its types. Turn it on when you run type-filtered reads of
   * rare types from far back. Turning it on builds the index on first use (once; it takes a while
   * on a large table, which stays writable meanwhile); turning it off does not drop an existing
   * index (another process may use it): drop it with `` DROP INDEX type_position ON `<prefix>events` ``.
   */
  typeIndex?: boolean;
}

export interface NormalizedMysqlStoreOptions {
  connection: string | MysqlPool;
  poolSize: number;
  queryTimeoutMs: number;
  tables: MysqlTableNames;
  migrate: boolean;
  partitions: number | undefined;
  maxBatchEvents: number;
  typeIndex: boolean;
}

/** The most partitions MySQL allows for one table. */
export const MAX_PARTITIONS = 8192;

/** Checks every option before anything is opened. */
export function normalizeStoreOptions(options: MysqlStoreOptions): NormalizedMysqlStoreOptions {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'must be an object');
  const { connection } = options;
  const isPool =
    typeof connection === 'object' &&
    connection !== null &&
    typeof (connection as MysqlPool).getConnection === 'function';
  if (!isPool && (typeof connection !== 'string' || !/^mysql:\/\//i.test(connection))) {
    throw new ValidationError(
      'options.connection',
      'must be a mysql:// connection string or a mysql2 promise pool',
    );
  }
  const migrate = options.migrate ?? true;
  if (typeof migrate !== 'boolean') throw new ValidationError('options.migrate', 'must be a boolean');
  const typeIndex = options.typeIndex ?? false;
  if (typeof typeIndex !== 'boolean') throw new ValidationError('options.typeIndex', 'must be a boolean');
  const partitions = options.partitions;
  if (partitions !== undefined) assertInteger(partitions, 'options.partitions', 1, MAX_PARTITIONS);
  return {
    connection,
    poolSize: assertInteger(options.poolSize ?? 10, 'options.poolSize', 1, 10_000),
    queryTimeoutMs: assertInteger(options.queryTimeoutMs ?? 30_000, 'options.queryTimeoutMs', 1, 2 ** 31 - 1),
    tables: tableNames(options.tablePrefix),
    migrate,
    partitions,
    maxBatchEvents: assertInteger(options.maxBatchEvents ?? 1000, 'options.maxBatchEvents', 1, 100_000),
    typeIndex,
  };
}

function assertInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(path, `must be an integer between ${min} and ${max} (got ${String(value)})`);
  }
  return value;
}
