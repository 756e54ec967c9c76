import { type NewEvent, type RecordedEvent, uuidv7 } from '@strata/core';
import BetterSqlite3 from 'better-sqlite3';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_RAW_SQL, sqliteRawInsert } from './sqlite-raw-sql.js';

export type SqliteSynchronous = 'NORMAL' | 'FULL';

/** A row of EVENT_COLUMNS in `.raw()` mode. */
type EventRow = [
  position: number | string,
  id: string,
  streamId: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  schemaVersion: number,
  version: number,
  occurredAt: number,
  recordedAt: number,
];

/** A row of STREAM_EVENT_COLUMNS: one stream's rows, without the stream id the caller has. */
type StreamEventRow = [
  position: number | string,
  id: string,
  streamType: string,
  type: string,
  data: string,
  metadata: string,
  schemaVersion: number,
  version: number,
  occurredAt: number,
  recordedAt: number,
];

const DEFAULT_STREAM_TYPE = 'default';

/** A row of the append head queries, with safe integers: version, stream type, last position. */
type HeadRow = [version: bigint, streamType: string | null, positionBefore: bigint];

/**
 * What a careful hand-written better-sqlite3 data layer would do for the same calls: the store's
 * SQL and connection settings, statements prepared once, one `BEGIN IMMEDIATE` transaction per
 * append (read head and last position, check, one multi-row insert), rows decoded into the same
 * event objects the contract returns (JSON payloads parsed, `Date`s, bigint position). What is
 * left out is exactly the adapter: input validation, option normalization, error mapping, the
 * idempotency bookkeeping and the async wrapper.
 */
export class SqliteRawBaseline implements BenchSubject {
  private readonly db: BetterSqlite3.Database;
  private readonly begin: BetterSqlite3.Statement;
  private readonly commit: BetterSqlite3.Statement;
  private readonly rollback: BetterSqlite3.Statement;
  private readonly headOfLiveStream: BetterSqlite3.Statement<[string], HeadRow>;
  private readonly headOfEmptyStream: BetterSqlite3.Statement<[string], HeadRow>;
  private readonly inserts = new Map<number, BetterSqlite3.Statement>();
  private readonly readForward: BetterSqlite3.Statement<[string, number, number, number], StreamEventRow>;
  private readonly readAllPage: BetterSqlite3.Statement<[bigint, number], EventRow>;
  /** The position of the last event written, kept like an append result would be. */
  lastPosition = 0n;

  /** Opens `path` with the store's connection settings. */
  static open(path: string, synchronous: SqliteSynchronous): SqliteRawBaseline {
    const db = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    configureSqliteConnection(db, synchronous);
    return new SqliteRawBaseline(db);
  }

  /** Takes a configured connection (see `configureSqliteConnection`) and closes it on `close()`. */
  constructor(db: BetterSqlite3.Database) {
    this.db = db;
    const sql = SQLITE_RAW_SQL;
    this.begin = db.prepare(sql.begin);
    this.commit = db.prepare(sql.commit);
    this.rollback = db.prepare(sql.rollback);
    this.headOfLiveStream = db.prepare<[string], HeadRow>(sql.headOfLiveStream).raw(true).safeIntegers(true);
    this.headOfEmptyStream = db
      .prepare<[string], HeadRow>(sql.headOfEmptyStream)
      .raw(true)
      .safeIntegers(true);
    this.readForward = db
      .prepare<[string, number, number, number], StreamEventRow>(sql.readForward)
      .raw(true)
      .safeIntegers(false);
    this.readAllPage = db.prepare<[bigint, number], EventRow>(sql.readAll).raw(true).safeIntegers(false);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void> {
    this.begin.run();
    try {
      const [version, type, positionBefore] =
        this.headOfLiveStream.get(streamId) ?? this.headOfEmptyStream.get(streamId)!;
      const currentVersion = Number(version);
      if (currentVersion !== expectedVersion) {
        throw new Error(`stream ${streamId} is at ${currentVersion}, expected ${expectedVersion}`);
      }
      const streamType = type ?? DEFAULT_STREAM_TYPE;
      const first = Number(positionBefore);
      const recordedAt = Date.now();
      const values: unknown[] = [];
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        values.push(
          uuidv7(),
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          1,
          Date.now(),
        );
      }
      this.insertOf(events.length).run(values, {
        position: first,
        streamId,
        streamType,
        version: currentVersion,
        recordedAt,
      });
      // Kept as the store does: the last position is part of an append's result.
      const lastPosition = positionBefore + BigInt(events.length);
      this.commit.run();
      this.lastPosition = lastPosition;
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }

  async readStream(streamId: string): Promise<number> {
    return decodeStreamRows(this.readForward.all(streamId, 1, Number.MAX_SAFE_INTEGER, -1), streamId).length;
  }

  async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    const events = decodeRows(this.readAllPage.all(after, limit));
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** One prepared multi-row insert per batch size, as the store caches them. */
  private insertOf(rows: number): BetterSqlite3.Statement {
    let statement = this.inserts.get(rows);
    if (statement === undefined) {
      statement = this.db.prepare(sqliteRawInsert(rows));
      this.inserts.set(rows, statement);
    }
    return statement;
  }
}

/** The pragmas sqlite-connection.ts runs when the store opens a file, in the same order. */
export function configureSqliteConnection(db: BetterSqlite3.Database, synchronous: SqliteSynchronous): void {
  db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.prepare('PRAGMA journal_mode = WAL').get();
  db.exec(`PRAGMA synchronous = ${synchronous}`);
}

function decodeRows(rows: readonly EventRow[]): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    events[i] = {
      id: row[1],
      streamId: row[2],
      streamType: row[3],
      type: row[4],
      data: JSON.parse(row[5]),
      metadata: JSON.parse(row[6]),
      schemaVersion: row[7],
      version: row[8],
      position: BigInt(row[0]),
      occurredAt: new Date(row[9]),
      recordedAt: new Date(row[10]),
    };
  }
  return events;
}

function decodeStreamRows(rows: readonly StreamEventRow[], streamId: string): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    events[i] = {
      id: row[1],
      streamId,
      streamType: row[2],
      type: row[3],
      data: JSON.parse(row[4]),
      metadata: JSON.parse(row[5]),
      schemaVersion: row[6],
      version: row[7],
      position: BigInt(row[0]),
      occurredAt: new Date(row[8]),
      recordedAt: new Date(row[9]),
    };
  }
  return events;
}
