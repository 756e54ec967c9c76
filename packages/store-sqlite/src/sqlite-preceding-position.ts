import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

interface Statements {
  any: SqliteStatement;
  ofType: SqliteStatement;
}

/**
 * The position of the last event (of some types) below a given one, for append-transaction hooks.
 * Under SQLite's write lock, held by the append until it commits, no event can still commit below it.
 */
export class SqlitePrecedingPosition {
  private readonly statements = new WeakMap<SqliteDatabase, Statements>();

  constructor(private readonly eventsTable: string) {}

  /**
   * Synchronous, on the connection of the open transaction: one backward step on the primary key,
   * or on the (event_type, position) index per type.
   */
  below(db: SqliteDatabase, position: bigint, types: readonly string[] | undefined): bigint {
    const statements = this.prepared(db);
    if (types === undefined) return (statements.any.get(position) as [bigint])[0];
    let last = 0n;
    for (const type of types) {
      const found = (statements.ofType.get(type, position) as [bigint])[0];
      if (found > last) last = found;
    }
    return last;
  }

  private prepared(db: SqliteDatabase): Statements {
    let statements = this.statements.get(db);
    if (statements === undefined) {
      const query = (where: string) =>
        db
          .prepare(`SELECT COALESCE(MAX(position), 0) FROM ${this.eventsTable} WHERE ${where}`)
          .raw(true)
          .safeIntegers(true);
      statements = { any: query('position < ?'), ofType: query('event_type = ? AND position < ?') };
      this.statements.set(db, statements);
    }
    return statements;
  }
}
