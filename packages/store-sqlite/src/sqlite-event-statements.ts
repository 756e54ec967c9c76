import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { SqliteEventInserts } from './sqlite-event-inserts.js';
import { EVENT_COLUMNS, STREAM_EVENT_COLUMNS } from './sqlite-event-rows.js';
import { SqliteInListStatements } from './sqlite-in-list.js';
import type { SqliteTableNames } from './sqlite-table-names.js';
import { SqliteTransactions } from './sqlite-transactions.js';

/**
 * What an append reads before it writes, with safe integers: the stream's version (deleted heads
 * included), its type, and the last position handed out (the position floor included).
 */
export type AppendHeadRow = [version: bigint, streamType: string | null, positionBefore: bigint | null];

/**
 * Every statement the event store runs, prepared once per store. Each one states its integer mode
 * itself, so a caller's `Database` with `defaultSafeIntegers(true)` changes nothing here.
 */
export class SqliteEventStatements {
  readonly transactions: SqliteTransactions;
  /** `AppendHeadRow` of a stream that has events; no row for one that has none. */
  readonly headOfLiveStream: SqliteStatement;
  /** `AppendHeadRow` of a stream without events: new, or every event deleted. */
  readonly headOfEmptyStream: SqliteStatement;
  /**
   * `[position]`, a bigint: the last position handed out, the position floor included (`null` when
   * the floor's one row is missing).
   */
  readonly lastPosition: SqliteStatement;
  /** `[version]` of one stream, deleted heads included; 0 for a stream that never existed. */
  readonly streamVersion: SqliteStatement;
  readonly insertEvents: SqliteEventInserts;
  readonly readForward: SqliteStatement;
  readonly readBackward: SqliteStatement;
  readonly readAll: SqliteStatement;
  readonly readAllByTypes: SqliteInListStatements;
  readonly readStreams: SqliteInListStatements;
  /** `[id, stream_id, version, position]` of the given event ids. */
  readonly findEvents: SqliteInListStatements;

  constructor(db: SqliteDatabase, t: SqliteTableNames) {
    const rows = (statement: SqliteStatement) => statement.raw(true).safeIntegers(false);
    this.transactions = new SqliteTransactions(db);
    // Plain scalar subqueries, each one descent of a B-tree (a join here costs a materialized
    // subquery per append). MAX(position) reads the right edge of the table.
    const positionBefore = `max(coalesce((SELECT max(position) FROM ${t.events}), 0), (SELECT position FROM ${t.positionFloor}))`;
    this.headOfLiveStream = db
      .prepare(
        `SELECT max(version, coalesce((SELECT d.version FROM ${t.deletedHeads} d WHERE d.stream_id = e.stream_id), 0)),
                stream_type, ${positionBefore}
           FROM ${t.events} e WHERE stream_id = ? ORDER BY version DESC LIMIT 1`,
      )
      .raw(true)
      .safeIntegers(true);
    this.headOfEmptyStream = db
      .prepare(
        `SELECT coalesce(d.version, 0), d.stream_type, ${positionBefore}
           FROM (SELECT 1) LEFT JOIN ${t.deletedHeads} d ON d.stream_id = ?`,
      )
      .raw(true)
      .safeIntegers(true);
    // Safe integers: a position past 2^53 comes back exact, and this is one value, not a page.
    this.lastPosition = db.prepare(`SELECT ${positionBefore}`).raw(true).safeIntegers(true);
    this.streamVersion = rows(
      db.prepare(
        `SELECT max(coalesce((SELECT max(version) FROM ${t.events} WHERE stream_id = ?), 0),
                    coalesce((SELECT version FROM ${t.deletedHeads} WHERE stream_id = ?), 0))`,
      ),
    );
    this.insertEvents = new SqliteEventInserts(db, t);
    this.readForward = rows(
      db.prepare(
        `SELECT ${STREAM_EVENT_COLUMNS} FROM ${t.events} WHERE stream_id = ? AND version >= ? AND version <= ?
         ORDER BY version LIMIT ?`,
      ),
    );
    this.readBackward = rows(
      db.prepare(
        `SELECT ${STREAM_EVENT_COLUMNS} FROM ${t.events} WHERE stream_id = ? AND version >= ? AND version <= ?
         ORDER BY version DESC LIMIT ?`,
      ),
    );
    this.readAll = rows(
      db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE position > ? ORDER BY position LIMIT ?`),
    );
    this.readAllByTypes = new SqliteInListStatements(
      db,
      (list) =>
        `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE position > ? AND event_type IN (${list}) ORDER BY position LIMIT ?`,
      rows,
    );
    this.readStreams = new SqliteInListStatements(
      db,
      (list) =>
        `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE stream_id IN (${list}) AND version >= ? ORDER BY stream_id, version`,
      rows,
    );
    this.findEvents = new SqliteInListStatements(
      db,
      (list) => `SELECT id, stream_id, version, position FROM ${t.events} WHERE id IN (${list})`,
      (statement) => statement.raw(true).safeIntegers(true),
    );
  }
}
