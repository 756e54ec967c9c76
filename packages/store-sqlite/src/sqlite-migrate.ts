import type { SqliteDatabase } from './sqlite-database.js';
import { toStoreError } from './sqlite-errors.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { type SqliteTableNames, tableNames } from './sqlite-table-names.js';
import { SqliteTransactions } from './sqlite-transactions.js';

export interface MigrateOptions {
  /** Defaults to `'strata_'`. */
  tablePrefix?: string;
}

export interface MigrateResult {
  /** The versions this call applied; empty when the schema was already current. */
  applied: number[];
}

const LATEST_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Creates or upgrades the store's tables. Safe to run from several processes at once: the work
 * happens under SQLite's write lock (`BEGIN IMMEDIATE`), and a process that finds every version
 * recorded in the migrations table does nothing. Stores run it on open unless `migrate: false`.
 */
export function migrate(db: SqliteDatabase, options: MigrateOptions = {}): MigrateResult {
  const tables = tableNames(options.tablePrefix);
  try {
    // A plain read first: when the schema is current, opening a store takes no write lock.
    if (appliedVersions(db, tables).has(LATEST_VERSION)) return { applied: [] };
    return new SqliteTransactions(db).write(() => applyPending(db, tables));
  } catch (error) {
    throw toStoreError(error, db);
  }
}

function applyPending(db: SqliteDatabase, tables: SqliteTableNames): MigrateResult {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
      version INTEGER NOT NULL PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`,
  );
  // Read again under the lock: another process may have migrated since the first look.
  const done = appliedVersions(db, tables);
  const record = db.prepare(`INSERT INTO ${tables.migrations} (version, name, applied_at) VALUES (?, ?, ?)`);
  const applied: number[] = [];
  for (const migration of SQLITE_MIGRATIONS) {
    if (done.has(migration.version)) continue;
    db.exec(migration.sql(tables));
    record.run(migration.version, migration.name, Date.now());
    applied.push(migration.version);
  }
  return { applied };
}

function appliedVersions(db: SqliteDatabase, tables: SqliteTableNames): Set<number> {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .raw()
    .get(`${tables.prefix}migrations`);
  if (exists === undefined) return new Set();
  const rows = db.prepare(`SELECT version FROM ${tables.migrations}`).raw().safeIntegers(false).all() as [
    number,
  ][];
  return new Set(rows.map((row) => row[0]));
}
