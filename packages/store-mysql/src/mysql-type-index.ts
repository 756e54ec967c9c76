import type { MysqlQueryable } from './mysql-driver.js';
import type { MysqlTableNames } from './mysql-table-names.js';

/** The `(event_type, position)` index's name: migration 1 made it, migration 11 drops it. */
export const TYPE_INDEX = 'type_position';

const ER_DUP_KEYNAME = 1061;

/** The SQL that tells whether the events table has the type index (one row, one count). */
export function typeIndexCountSql(): string {
  return `(SELECT COUNT(*) FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = '${TYPE_INDEX}')`;
}

/**
 * Creates the type index when the events table has none (`typeIndex: true`). The catalog is read
 * first, so a store opened over tables that have it runs no DDL and takes no metadata lock. MySQL 8
 * has no `CREATE INDEX IF NOT EXISTS`: when two processes both find it missing, the second CREATE
 * waits for the first and fails with ER_DUP_KEYNAME, which means it exists, as asked. InnoDB builds
 * a secondary index in place, with appends going on meanwhile.
 */
export async function ensureTypeIndex(db: MysqlQueryable, tables: MysqlTableNames): Promise<void> {
  const [rows] = await db.execute({ sql: `SELECT ${typeIndexCountSql()}`, rowsAsArray: true }, [
    `${tables.prefix}events`,
  ]);
  if (Number((rows as unknown[][])[0]?.[0] ?? 0) > 0) return;
  try {
    await db.query({ sql: `CREATE INDEX ${TYPE_INDEX} ON ${tables.events} (event_type, position)` });
  } catch (error) {
    if ((error as { errno?: unknown }).errno !== ER_DUP_KEYNAME) throw error;
  }
}
