import type { SqliteDatabase } from './sqlite-database.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/** The index `typeIndex: true` keeps; the name it had before migration 7 dropped it. */
function indexName(tables: SqliteTableNames): string {
  return `${tables.prefix}events_type_position`;
}

/** Whether the `(event_type, position)` index exists now (built by this or another process). */
export function hasTypeIndex(db: SqliteDatabase, tables: SqliteTableNames): boolean {
  const found = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?")
    .raw()
    .get(indexName(tables));
  return found !== undefined;
}

/**
 * Builds the index unless it exists. The catalog look comes first so that opening a store whose
 * index exists takes no write lock; `IF NOT EXISTS` covers a process that built it in between.
 */
export function ensureTypeIndex(db: SqliteDatabase, tables: SqliteTableNames): void {
  if (hasTypeIndex(db, tables)) return;
  db.exec(`CREATE INDEX IF NOT EXISTS "${indexName(tables)}" ON ${tables.events} (event_type, position)`);
}
