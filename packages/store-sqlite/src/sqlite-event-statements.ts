import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { SqliteEventInserts } from './sqlite-event-inserts.js';
import { EVENT_COLUMNS } from './sqlite-event-rows.js';
import { SqliteInListStatements } from './sqlite-in-list.js';
import type { SqliteTableNames } from './sqlite-table-names.js';
import { SqliteTransactions } from './sqlite-transactions.js';

/**
 * One row of `appendHead`, with safe integers: the largest position in the table (null when
 * empty), the position floor, then version and stream type of the stream's newest event and of
 * its deleted head (null when absent).
 */
export type AppendHeadRow = [
  lastPosition: bigint | null,
  positionFloor: bigint,
  liveVersion: bigint | null,
  liveStreamType: string | null,
  deletedVersion: bigint | null,
  deletedStreamType: string | null,
];

/**
 * Every statement the event store runs, prepared once per store. Each one states its integer mode
 * itself, so a caller's `Database` with `defaultSafeIntegers(true)` changes nothing here.
 */
export class SqliteEventStatements {
  readonly transactions: SqliteTransactions;
  /** What an append needs to know before it writes, in one statement: see `AppendHeadRow`. */
  readonly appendHead: SqliteStatement;
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
    // MAX(position) and the newest version are one descent each to the right edge of a B-tree;
    // the stream type comes from that newest row.
    this.appendHead = db
      .prepare(
        `SELECT (SELECT max(position) FROM ${t.events}), f.position, e.version, e.stream_type, d.version, d.stream_type
           FROM ${t.positionFloor} f
           LEFT JOIN (SELECT version, stream_type FROM ${t.events} WHERE stream_id = ? ORDER BY version DESC LIMIT 1) e
           LEFT JOIN ${t.deletedHeads} d ON d.stream_id = ?`,
      )
      .raw(true)
      .safeIntegers(true);
    this.streamVersion = rows(
      db.prepare(
        `SELECT max(coalesce((SELECT max(version) FROM ${t.events} WHERE stream_id = ?), 0),
                    coalesce((SELECT version FROM ${t.deletedHeads} WHERE stream_id = ?), 0))`,
      ),
    );
    this.insertEvents = new SqliteEventInserts(db, t);
    this.readForward = rows(
      db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE stream_id = ? AND version >= ? AND version <= ?
         ORDER BY version LIMIT ?`,
      ),
    );
    this.readBackward = rows(
      db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE stream_id = ? AND version >= ? AND version <= ?
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
