import type { NewEvent, RecordedEvent } from '@strata/core';
import BetterSqlite3 from 'better-sqlite3';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { checkedFloorEvents } from './floor-input.js';
import {
  FLOOR_TABLE,
  MINIMAL_STREAM_TYPE,
  MINIMAL_TABLE,
  minimalConflict,
  minimalEvent,
  minimalPayload,
} from './minimal-event.js';
import { configureSqliteConnection, type SqliteSynchronous } from './sqlite-raw-baseline.js';

const TABLE = `"${MINIMAL_TABLE}"`;

/**
 * Issue 12's minimal event store on SQLite: one table whose `INTEGER PRIMARY KEY` is the rowid (a
 * 64-bit position SQLite assigns, no AUTOINCREMENT table) and a unique (stream_id, version).
 */
export const SQLITE_MINIMAL_SCHEMA = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  event_type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  version INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  UNIQUE (stream_id, version)
)`;

/**
 * The floor of issue 12 on SQLite: the minimal table plus the unique event-id index that
 * idempotent retries and store-wide id uniqueness need (ids are UUID v7 text, as the store makes
 * them), and the two fields every read returns that the minimal store does not keep: the schema
 * version and the recording time. No store that keeps the contract writes or reads less per event.
 */
export const SQLITE_FLOOR_SCHEMA = `CREATE TABLE IF NOT EXISTS "${FLOOR_TABLE}" (
  position INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  stream_id TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  event_type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  version INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, version)
)`;

const INSERT_COLUMNS = '(stream_id, stream_type, event_type, data, metadata, version, occurred_at)';
const ROW_PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?)';
const FLOOR_INSERT_COLUMNS =
  '(id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at, recorded_at)';
const FLOOR_ROW_PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const SELECT_COLUMNS = 'position, stream_id, stream_type, event_type, data, metadata, version, occurred_at';
/**
 * The floor's reads return what the contract asks: the stored id, schema version and recording time
 * too. Their integers come back as numbers (a BigInt per column costs), the position as text past
 * 2^53, so `BigInt()` stays exact: the cheapest exact decoding better-sqlite3 allows.
 */
const FLOOR_SELECT_COLUMNS = `CASE WHEN position > 9007199254740991 THEN CAST(position AS TEXT) ELSE position END,
  stream_id, stream_type, event_type, data, metadata, version, occurred_at, id, schema_version, recorded_at`;

/** The insert of `rows` events in one statement. */
export function sqliteMinimalInsert(rows: number): string {
  return `INSERT INTO ${TABLE} ${INSERT_COLUMNS} VALUES ${Array<string>(rows).fill(ROW_PLACEHOLDERS).join(', ')}`;
}

function sqliteFloorInsert(rows: number): string {
  return `INSERT INTO "${FLOOR_TABLE}" ${FLOOR_INSERT_COLUMNS} VALUES ${Array<string>(rows).fill(FLOOR_ROW_PLACEHOLDERS).join(', ')}`;
}

type Row = [
  position: bigint | number | string,
  streamId: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  version: number,
  occurredAt: number,
  /** The floor's reads only, from here on. */
  id?: string,
  schemaVersion?: number,
  recordedAt?: number,
];

/**
 * The minimal store with better-sqlite3: per append `BEGIN IMMEDIATE`, `SELECT COALESCE(MAX(version),
 * 0)` on the unique index, one multi-row `INSERT`, `COMMIT`; reads are one indexed `SELECT` each.
 * The connection has the store's settings (WAL, the same `synchronous`).
 */
export class SqliteMinimalStore implements BenchSubject {
  private readonly begin: BetterSqlite3.Statement;
  private readonly commit: BetterSqlite3.Statement;
  private readonly rollback: BetterSqlite3.Statement;
  /** The stream's version, and (the floor's only) the type its first append fixed, if it has one. */
  private readonly head: BetterSqlite3.Statement<string[], [number, (string | null)?]>;
  private readonly inserts = new Map<number, BetterSqlite3.Statement>();
  private readonly readForward: BetterSqlite3.Statement<[string], Row>;
  private readonly readAllPage: BetterSqlite3.Statement<[bigint, number], Row>;

  /** Opens `path` (its schema made by `SQLITE_MINIMAL_SCHEMA`) with the store's connection settings. */
  static open(path: string, synchronous: SqliteSynchronous): SqliteMinimalStore {
    const db = new BetterSqlite3(path);
    configureSqliteConnection(db, synchronous);
    return new SqliteMinimalStore(db, false);
  }

  /**
   * The floor (`SQLITE_FLOOR_SCHEMA`): the same store writing a UUID v7 id per event into its unique
   * index, with the schema version and recording time, which its reads return, after the
   * contract's input checks (`checkedFloorEvents`).
   */
  static openFloor(path: string, synchronous: SqliteSynchronous): SqliteMinimalStore {
    const db = new BetterSqlite3(path);
    configureSqliteConnection(db, synchronous);
    return new SqliteMinimalStore(db, true);
  }

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly withEventIds: boolean,
  ) {
    const table = withEventIds ? `"${FLOOR_TABLE}"` : TABLE;
    const columns = withEventIds ? FLOOR_SELECT_COLUMNS : SELECT_COLUMNS;
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    // The floor reads the stream's type in the same statement: one more probe of the unique
    // (stream_id, version) index, the least a store that fixes a stream's type can do.
    this.head = db
      .prepare<string[], [number, (string | null)?]>(
        withEventIds
          ? `SELECT COALESCE(MAX(version), 0),
               (SELECT stream_type FROM ${table} WHERE stream_id = ? AND version = 1)
             FROM ${table} WHERE stream_id = ?`
          : `SELECT COALESCE(MAX(version), 0) FROM ${table} WHERE stream_id = ?`,
      )
      .raw(true);
    this.readForward = db
      .prepare<[string], Row>(`SELECT ${columns} FROM ${table} WHERE stream_id = ? ORDER BY version`)
      .raw(true)
      .safeIntegers(!withEventIds);
    this.readAllPage = db
      .prepare<[bigint, number], Row>(
        `SELECT ${columns} FROM ${table} WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .raw(true)
      .safeIntegers(!withEventIds);
  }

  /**
   * Appends with the workloads' stream type unless `streamType` is given. The floor reads the type
   * a stream's first append fixed in its version check and writes that one; the minimal store
   * writes whatever type it is given.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    streamType: string = MINIMAL_STREAM_TYPE,
  ): Promise<void> {
    // The floor checks the input before its transaction, as the adapter does.
    const checked = this.withEventIds
      ? checkedFloorEvents(streamId, events, expectedVersion, streamType)
      : undefined;
    this.begin.run();
    try {
      const [current, storedType] = this.withEventIds
        ? this.head.get(streamId, streamId)!
        : this.head.get(streamId)!;
      if (current !== expectedVersion) throw minimalConflict(streamId, current, expectedVersion);
      const type = storedType ?? streamType;
      const now = Date.now();
      const values: unknown[] = [];
      events.forEach((event, i) => {
        if (checked === undefined) {
          const { data, metadata } = minimalPayload(event);
          values.push(streamId, type, event.type, data, metadata, current + i + 1, now);
          return;
        }
        const { id, dataJson, metadataJson, schemaVersion, occurredAt } = checked[i]!;
        values.push(id, streamId, type, event.type, dataJson, metadataJson);
        values.push(schemaVersion, current + i + 1, occurredAt.getTime(), now);
      });
      this.insertOf(events.length).run(values);
      this.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }

  /** The whole stream, decoded, in version order. */
  async readStreamEvents(streamId: string): Promise<RecordedEvent[]> {
    return decode(this.readForward.all(streamId));
  }

  async readStream(streamId: string): Promise<number> {
    return (await this.readStreamEvents(streamId)).length;
  }

  /** Up to `limit` events after position `after`, decoded, in position order. */
  async readAllEvents(after: bigint, limit: number): Promise<RecordedEvent[]> {
    return decode(this.readAllPage.all(after, limit));
  }

  async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    const events = await this.readAllEvents(after, limit);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** One prepared multi-row insert per batch size, as a hand-written layer would cache them. */
  private insertOf(rows: number): BetterSqlite3.Statement {
    let statement = this.inserts.get(rows);
    if (statement === undefined) {
      statement = this.db.prepare(this.withEventIds ? sqliteFloorInsert(rows) : sqliteMinimalInsert(rows));
      this.inserts.set(rows, statement);
    }
    return statement;
  }
}

function decode(rows: readonly Row[]) {
  return rows.map((row) =>
    row[8] === undefined
      ? // Safe integers: the position is a bigint; the other integer columns are small.
        minimalEvent(row[0] as bigint, row[1], row[2], row[3], row[4], row[5], Number(row[6]), Number(row[7]))
      : minimalEvent(
          BigInt(row[0]),
          row[1],
          row[2],
          row[3],
          row[4],
          row[5],
          row[6],
          row[7],
          row[8],
          row[9],
          row[10],
        ),
  );
}
