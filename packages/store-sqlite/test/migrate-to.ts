import type BetterSqlite3 from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from '../src/sqlite-migrations.js';
import { tableNames } from '../src/sqlite-table-names.js';

/**
 * Builds the layout an older release left: the migrations up to `version` only, recorded as
 * `migrate()` records them, so a test can fill it and upgrade it with the current `migrate()`.
 */
export function migrateTo(db: BetterSqlite3.Database, version: number, tablePrefix?: string): void {
  const tables = tableNames(tablePrefix);
  db.exec(
    `CREATE TABLE ${tables.migrations} (
      version INTEGER NOT NULL PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`,
  );
  const record = db.prepare(`INSERT INTO ${tables.migrations} (version, name, applied_at) VALUES (?, ?, ?)`);
  db.transaction(() => {
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version > version) break;
      db.exec(migration.sql(tables));
      record.run(migration.version, migration.name, Date.now());
    }
  }).immediate();
}
