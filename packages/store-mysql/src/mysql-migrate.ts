import { createHash } from 'node:crypto';
import { StoreUnavailableError, ValidationError } from '@strata/core';
import type { MysqlConnection, MysqlPool, MysqlQueryable } from './mysql-driver.js';
import { isServerError, STORE_NAME, toStoreError } from './mysql-errors.js';
import { LATEST_MIGRATION, MYSQL_MIGRATIONS } from './mysql-migrations.js';
import { detectServer } from './mysql-server-flavor.js';
import { MAX_PARTITIONS } from './mysql-store-options.js';
import { assertPartitions, readPartitionCount } from './mysql-table-layout.js';
import { type MysqlTableNames, tableNames } from './mysql-table-names.js';
import { ensureTypeIndex } from './mysql-type-index.js';

export interface MigrateOptions {
  /** Defaults to `'strata_'`. */
  tablePrefix?: string;
  /** Partition the events table by stream id into this many partitions when it is created. */
  partitions?: number;
  /** How long to wait for another process's migration to finish. Defaults to 60 seconds. */
  lockTimeoutSeconds?: number;
  /**
   * Keep the `(event_type, position)` index: create it when missing, and keep it where migration
   * 11 would drop it. As the store's `typeIndex` option; defaults to false.
   */
  typeIndex?: boolean;
}

export interface MigrateResult {
  /** The versions this call applied; empty when the schema was already current. */
  applied: number[];
}

const ER_NO_SUCH_TABLE = 1146;

/**
 * Creates or upgrades the store's tables. Safe to run from several processes at once: the work
 * happens under a named server lock (`GET_LOCK`, one per database and prefix), and a process that
 * finds every version recorded in the migrations table does nothing. Stores run it on open unless
 * `migrate: false`.
 */
export async function migrate(pool: MysqlPool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const tables = tableNames(options.tablePrefix);
  if (options.partitions !== undefined) assertPartitions(options.partitions, 1, MAX_PARTITIONS);
  const typeIndex = options.typeIndex ?? false;
  if (typeof typeIndex !== 'boolean') throw new ValidationError('options.typeIndex', 'must be a boolean');
  const lockTimeout = options.lockTimeoutSeconds ?? 60;
  let connection: MysqlConnection | undefined;
  try {
    connection = await pool.getConnection();
    // A plain read first: when the schema is current, opening a store takes no lock.
    if ((await appliedVersions(connection, tables)).has(LATEST_MIGRATION)) {
      if (typeIndex) await ensureTypeIndex(connection, tables);
      return { applied: [] };
    }
    const lockName = await migrationLockName(connection, tables);
    const [rows] = await connection.execute(
      { sql: 'SELECT GET_LOCK(?, ?)', rowsAsArray: true, timeout: (lockTimeout + 10) * 1000 },
      [lockName, lockTimeout],
    );
    if (Number((rows as unknown[][])[0]?.[0]) !== 1) {
      throw new StoreUnavailableError(
        STORE_NAME,
        new Error(`another process held the migration lock for more than ${lockTimeout} s`),
      );
    }
    let result: MigrateResult;
    try {
      result = await applyPending(connection, tables, options.partitions, typeIndex);
    } finally {
      await connection.execute({ sql: 'SELECT RELEASE_LOCK(?)' }, [lockName]);
    }
    // After the lock: a long index build must not hold up other processes' migrations.
    if (typeIndex) await ensureTypeIndex(connection, tables);
    return result;
  } catch (error) {
    // A connection that failed mid-way may still hold the lock or a statement: never reuse it.
    connection?.destroy();
    connection = undefined;
    throw toStoreError(error);
  } finally {
    connection?.release();
  }
}

async function applyPending(
  connection: MysqlConnection,
  tables: MysqlTableNames,
  partitions: number | undefined,
  keepTypeIndex: boolean,
): Promise<MigrateResult> {
  const server = await detectServer(connection);
  await connection.query({
    sql: `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
      version INT UNSIGNED NOT NULL,
      name VARCHAR(255) NOT NULL,
      applied_at BIGINT NOT NULL,
      PRIMARY KEY (version)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${server.idCollation}`,
  });
  // Read again under the lock: another process may have migrated since the first look.
  const done = await appliedVersions(connection, tables);
  const applied: number[] = [];
  for (const migration of MYSQL_MIGRATIONS) {
    if (done.has(migration.version)) continue;
    const context = {
      tables,
      idCollation: server.idCollation,
      flavor: server.flavor,
      partitions,
      partitionedNow: (await readPartitionCount(connection, tables)) > 0,
      keepTypeIndex,
    };
    let name = migration.name;
    try {
      for (const sql of migration.routines?.(context) ?? []) await connection.query({ sql });
    } catch (error) {
      if (!isServerError(error)) throw error;
      name = `${migration.name} (routines skipped: ${(error as Error).message})`;
    }
    try {
      for (const sql of migration.statements(context)) await connection.query({ sql });
    } catch (error) {
      if (migration.optional !== true || !isServerError(error)) throw error;
      name = `${migration.name} (skipped: ${(error as Error).message})`;
    }
    name = name.slice(0, 255);
    await connection.execute(
      { sql: `INSERT INTO ${tables.migrations} (version, name, applied_at) VALUES (?, ?, ?)` },
      [migration.version, name, Date.now()],
    );
    applied.push(migration.version);
  }
  return { applied };
}

async function appliedVersions(db: MysqlQueryable, tables: MysqlTableNames): Promise<Set<number>> {
  try {
    const [rows] = await db.query({ sql: `SELECT version FROM ${tables.migrations}`, rowsAsArray: true });
    return new Set((rows as unknown[][]).map((row) => Number(row[0])));
  } catch (error) {
    if ((error as { errno?: unknown }).errno === ER_NO_SUCH_TABLE) return new Set();
    throw error;
  }
}

/** One lock per database and prefix; hashed because lock names are limited to 64 characters. */
async function migrationLockName(db: MysqlQueryable, tables: MysqlTableNames): Promise<string> {
  const [rows] = await db.query({ sql: 'SELECT DATABASE()', rowsAsArray: true });
  const database = (rows as unknown[][])[0]?.[0];
  if (typeof database !== 'string') {
    throw new StoreUnavailableError(STORE_NAME, new Error('the connection has no default database'));
  }
  const digest = createHash('sha1').update(`${database}\u0000${tables.prefix}`).digest('hex');
  return `strata:migrate:${digest}`;
}
