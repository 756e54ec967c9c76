import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { chunks, SqliteInListStatements } from './sqlite-in-list.js';

interface Statements {
  any: SqliteStatement;
  /** With the type index: one backward index step per type. */
  ofType: SqliteStatement;
  /** Without it: one backward walk over positions to the first event of any of the types. */
  ofTypes: SqliteInListStatements;
}

/**
 * The position of the last event (of some types) below a given one, for append-transaction hooks.
 * Under SQLite's write lock, held by the append until it commits, no event can still commit below it.
 */
export class SqlitePrecedingPosition {
  private readonly statements = new WeakMap<SqliteDatabase, Statements>();

  constructor(
    private readonly eventsTable: string,
    private readonly typeIndexed: () => boolean,
  ) {}

  /**
   * Synchronous, on the connection of the open transaction. Without the type index the walk stops
   * at the nearest event of any of the types: a realtime projector's checkpoint advances on each of
   * its events, so the walks together cover the log about once. One walk per type would not: a rare
   * type in the list would send every append back to its last event.
   */
  below(db: SqliteDatabase, position: bigint, types: readonly string[] | undefined): bigint {
    const statements = this.prepared(db);
    if (types === undefined) return (statements.any.get(position) as [bigint])[0];
    if (types.length === 0) return 0n;
    let last = 0n;
    if (!this.typeIndexed()) {
      for (const list of chunks(types)) {
        const [found] = statements.ofTypes.all(list, [], [position]) as [bigint][];
        if (found !== undefined && found[0] > last) last = found[0];
      }
      return last;
    }
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
      const ofTypes = new SqliteInListStatements(
        db,
        (list) =>
          `SELECT position FROM ${this.eventsTable} WHERE event_type IN (${list}) AND position < ?
            ORDER BY position DESC LIMIT 1`,
        (statement) => statement.raw(true).safeIntegers(true),
      );
      statements = { any: query('position < ?'), ofType: query('event_type = ? AND position < ?'), ofTypes };
      this.statements.set(db, statements);
    }
    return statements;
  }
}
