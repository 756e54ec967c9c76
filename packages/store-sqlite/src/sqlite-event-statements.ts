import { MAX_POSITION } from '@strata/core';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { EVENT_COLUMNS } from './sqlite-event-rows.js';
import { SqliteInListStatements } from './sqlite-in-list.js';
import type { SqliteTableNames } from './sqlite-table-names.js';
import { SqliteTransactions } from './sqlite-transactions.js';

/**
 * Every statement the event store runs, prepared once per store. Each one states its integer mode
 * itself, so a caller's `Database` with `defaultSafeIntegers(true)` changes nothing here.
 */
export class SqliteEventStatements {
  readonly transactions: SqliteTransactions;
  /** `[version, stream_type]` of one stream. */
  readonly streamHead: SqliteStatement;
  readonly insertStream: SqliteStatement;
  readonly updateStream: SqliteStatement;
  /** Runs with safe integers, so `lastInsertRowid` is the exact bigint position. */
  readonly insertEvent: SqliteStatement;
  readonly readForward: SqliteStatement;
  readonly readBackward: SqliteStatement;
  readonly readAll: SqliteStatement;
  readonly readAllByTypes: SqliteInListStatements;
  readonly readStreams: SqliteInListStatements;
  /** `[id, stream_id, version, position]` of the given event ids. */
  readonly findEvents: SqliteInListStatements;
  /** The largest position ever handed out (AUTOINCREMENT's counter), as a bigint. */
  private readonly positionCounter: SqliteStatement;

  constructor(db: SqliteDatabase, t: SqliteTableNames) {
    const rows = (statement: SqliteStatement) => statement.raw(true).safeIntegers(false);
    this.transactions = new SqliteTransactions(db);
    this.streamHead = rows(db.prepare(`SELECT version, stream_type FROM ${t.streams} WHERE stream_id = ?`));
    this.insertStream = db
      .prepare(`INSERT INTO ${t.streams} (stream_id, stream_type, version) VALUES (?, ?, ?)`)
      .safeIntegers(false);
    this.updateStream = db
      .prepare(`UPDATE ${t.streams} SET version = ? WHERE stream_id = ?`)
      .safeIntegers(false);
    this.insertEvent = db
      .prepare(
        `INSERT INTO ${t.events} (id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .safeIntegers(true);
    // The prefix was checked against a strict pattern, so it can be spliced into the literal.
    this.positionCounter = db
      .prepare(`SELECT seq FROM sqlite_sequence WHERE name = '${t.prefix}events'`)
      .raw(true)
      .safeIntegers(true);
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

  /**
   * Whether `count` more positions would pass 2^63 - 1. AUTOINCREMENT fails an insert past it
   * with SQLITE_FULL (which otherwise means the disk is full) and SQLite rolls the whole
   * transaction back, so this reads the counter as it was before the append.
   */
  positionsExhausted(count: number): boolean {
    const row = this.positionCounter.get() as [bigint] | undefined;
    return row !== undefined && row[0] + BigInt(count) > MAX_POSITION;
  }
}
