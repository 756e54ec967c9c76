import type { NewEvent, RecordedEvent } from '@strata/core';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
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
import { MYSQL_POOL_SIZE, mysqlPool } from './mysql-raw-baseline.js';

const MINIMAL_ROW = '(?, ?, ?, ?, ?, ?, ?)';
const FLOOR_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const SELECT_COLUMNS = 'position, stream_id, stream_type, event_type, data, metadata, version, occurred_at';
/** The floor's reads return what the contract asks: the stored id, schema version and recording time too. */
const FLOOR_SELECT_COLUMNS = `${SELECT_COLUMNS}, event_id, schema_version, recorded_at`;

/** The minimal store's table under a run's prefix. */
export const mysqlMinimalTable = (prefix: string): string => `\`${prefix}${MINIMAL_TABLE}\``;

/**
 * Issue 12's minimal event store on MySQL/MariaDB: one InnoDB table clustered on an AUTO_INCREMENT
 * position, JSON as text, a unique (stream_id, version), nothing else. Identifiers compare as
 * binary, as stream ids in the contract do (the store's own id columns do too).
 */
export function mysqlMinimalSchemaSql(prefix: string): string {
  return `CREATE TABLE ${mysqlMinimalTable(prefix)} (
    position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    stream_id VARCHAR(255) NOT NULL,
    stream_type VARCHAR(255) NOT NULL,
    event_type VARCHAR(255) NOT NULL,
    data LONGTEXT NOT NULL,
    metadata LONGTEXT NOT NULL,
    version BIGINT UNSIGNED NOT NULL,
    occurred_at BIGINT NOT NULL,
    PRIMARY KEY (position),
    UNIQUE KEY stream_version (stream_id, version)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;
}

/** The floor's table under a run's prefix. */
export const mysqlFloorTable = (prefix: string): string => `\`${prefix}${FLOOR_TABLE}\``;

/** The floor's one-row position counter under a run's prefix. */
export const mysqlFloorSequenceTable = (prefix: string): string => `\`${prefix}${FLOOR_TABLE}_sequence\``;

/**
 * The floor of issue 12 on MySQL/MariaDB: the minimal table plus what the contract cannot do
 * without. A unique event id (UUID v7 text in a VARCHAR(255), as the store keeps them): the index
 * that idempotent retries and store-wide id uniqueness need. The schema version and the recording
 * time, which every read returns. And positions handed out in commit order, so that `readAll`
 * never skips an event that commits late: an `AUTO_INCREMENT` value is taken at insert time and
 * released at once, so a reader can see position n + 1 committed while n is still open, and pass
 * it for good (the conformance kit's gap-safety topic fails such a store). The cheapest way InnoDB
 * offers is a one-row counter (`<prefix>floor_events_sequence`) whose row lock the transaction
 * holds until COMMIT. No store that keeps the contract writes or reads less per event. Statements
 * to run in order.
 */
export function mysqlFloorSchemaSql(prefix: string): string[] {
  const table = mysqlMinimalSchemaSql(prefix)
    .replace(mysqlMinimalTable(prefix), mysqlFloorTable(prefix))
    .replace(
      'stream_id VARCHAR(255) NOT NULL,',
      'event_id VARCHAR(255) NOT NULL,\n    stream_id VARCHAR(255) NOT NULL,',
    )
    .replace('PRIMARY KEY (position),', 'PRIMARY KEY (position),\n    UNIQUE KEY event_id (event_id),')
    .replace(
      'occurred_at BIGINT NOT NULL,',
      'occurred_at BIGINT NOT NULL,\n    schema_version INT NOT NULL,\n    recorded_at BIGINT NOT NULL,',
    );
  const sequence = mysqlFloorSequenceTable(prefix);
  return [
    table,
    `CREATE TABLE ${sequence} (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, position BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB`,
    `INSERT INTO ${sequence} (id, position) VALUES (1, 0)`,
  ];
}

/**
 * The minimal store with mysql2, a pool of as many connections as the store's: per append `BEGIN`,
 * `SELECT COALESCE(MAX(version), 0)`, one multi-row prepared `INSERT`, `COMMIT`; reads are one
 * indexed `SELECT` each. The floor takes its positions from its counter just before the `INSERT`.
 */
export class MysqlMinimalStore implements BenchSubject {
  private readonly table: string;
  private readonly columns: string;
  /** The floor's position counter; the minimal store's positions are its `AUTO_INCREMENT`. */
  private readonly sequence: string | undefined;

  private constructor(
    private readonly pool: Pool,
    prefix: string,
    withEventIds: boolean,
  ) {
    this.table = withEventIds ? mysqlFloorTable(prefix) : mysqlMinimalTable(prefix);
    this.sequence = withEventIds ? mysqlFloorSequenceTable(prefix) : undefined;
    this.columns = withEventIds ? FLOOR_SELECT_COLUMNS : SELECT_COLUMNS;
  }

  /** Opens a pool with every connection already established, as the adapter side's is by then. */
  static async open(url: string, prefix: string): Promise<MysqlMinimalStore> {
    return new MysqlMinimalStore(await openPool(url), prefix, false);
  }

  /**
   * The floor (`mysqlFloorSchemaSql`): the same store writing a UUID v7 id per event into its
   * unique index, with positions from its counter, after the contract's input checks
   * (`checkedFloorEvents`). Reads are the minimal store's, on the floor's table, with the stored
   * id, schema version and recording time.
   */
  static async openFloor(url: string, prefix: string): Promise<MysqlMinimalStore> {
    return new MysqlMinimalStore(await openPool(url, true), prefix, true);
  }

  /**
   * Appends with the workloads' stream type unless `streamType` is given. The floor's counter
   * `UPDATE` checks it against the type a stream's first append fixed (`takePositions`); the
   * minimal store writes whatever type it is given.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    streamType: string = MINIMAL_STREAM_TYPE,
  ): Promise<void> {
    // The floor checks the input before it takes a connection, as the adapter does.
    const checked =
      this.sequence === undefined
        ? undefined
        : checkedFloorEvents(streamId, events, expectedVersion, streamType);
    const connection = await this.pool.getConnection();
    try {
      await connection.query('BEGIN');
      const now = Date.now();
      const columns = 'stream_id, stream_type, event_type, data, metadata, version, occurred_at';
      // The floor's first position and its stream's type; the minimal store's positions come from
      // its AUTO_INCREMENT.
      const { first, type } =
        this.sequence === undefined
          ? await this.checkVersion(connection, streamId, expectedVersion, streamType)
          : await this.takePositions(
              connection,
              this.sequence,
              streamId,
              expectedVersion,
              events.length,
              streamType,
            );
      const values: (string | number)[] = [];
      events.forEach((event, i) => {
        const version = expectedVersion + i + 1;
        if (first === undefined || checked === undefined) {
          const { data, metadata } = minimalPayload(event);
          values.push(streamId, type, event.type, data, metadata, version, now);
          return;
        }
        const { id, dataJson, metadataJson, schemaVersion, occurredAt } = checked[i]!;
        values.push((first + BigInt(i)).toString(), id, streamId, type, event.type, dataJson, metadataJson);
        values.push(version, occurredAt.getTime(), schemaVersion, now);
      });
      const [into, row] =
        first === undefined
          ? [columns, MINIMAL_ROW]
          : [`position, event_id, ${columns}, schema_version, recorded_at`, FLOOR_ROW];
      await connection.execute(
        `INSERT INTO ${this.table} (${into}) VALUES ${Array<string>(events.length).fill(row).join(', ')}`,
        values,
      );
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  }

  /** The minimal store's check: a plain read of the stream's last version. */
  private async checkVersion(
    connection: PoolConnection,
    streamId: string,
    expectedVersion: number,
    streamType: string,
  ): Promise<{ first: undefined; type: string }> {
    const current = await this.currentVersion(connection, streamId);
    if (current !== expectedVersion) throw minimalConflict(streamId, current, expectedVersion);
    return { first: undefined, type: streamType };
  }

  /**
   * The floor's check and positions in one statement, as a hand-written store would fold them: the
   * counter's row lock is then held for the INSERT and the COMMIT only. The statement also checks
   * that the stream's first event has the type asked for (one more probe of the unique index), so
   * the common case needs no round trip to learn the type; when it differs, the stream's own type
   * is read and the statement run again with it. Returns the first position and the type to write.
   */
  private async takePositions(
    connection: PoolConnection,
    sequence: string,
    streamId: string,
    expectedVersion: number,
    count: number,
    streamType: string,
  ): Promise<{ first: bigint; type: string }> {
    const [taken] = await connection.execute<ResultSetHeader>(
      `UPDATE ${sequence} SET position = LAST_INSERT_ID(position + CAST(? AS UNSIGNED))
        WHERE id = 1 AND (SELECT COALESCE(MAX(version), 0) FROM ${this.table} WHERE stream_id = ?) = ?
          AND (? = 0 OR (SELECT stream_type FROM ${this.table} WHERE stream_id = ? AND version = 1) = ?)`,
      [count, streamId, expectedVersion, expectedVersion, streamId, streamType],
    );
    if (taken.affectedRows === 1)
      return { first: BigInt(taken.insertId) - BigInt(count) + 1n, type: streamType };
    const current = await this.currentVersion(connection, streamId);
    if (current !== expectedVersion) throw minimalConflict(streamId, current, expectedVersion);
    const [rows] = await connection.execute<RowDataPacket[][]>(
      { sql: `SELECT stream_type FROM ${this.table} WHERE stream_id = ? AND version = 1`, rowsAsArray: true },
      [streamId],
    );
    const stored = rows[0]?.[0] as string | undefined;
    if (stored === undefined || stored === streamType) {
      throw new Error(`the floor refused an append to ${streamId} at its version ${current}`);
    }
    return this.takePositions(connection, sequence, streamId, expectedVersion, count, stored);
  }

  private async currentVersion(connection: PoolConnection, streamId: string): Promise<number> {
    const [rows] = await connection.execute<RowDataPacket[][]>(
      { sql: `SELECT COALESCE(MAX(version), 0) FROM ${this.table} WHERE stream_id = ?`, rowsAsArray: true },
      [streamId],
    );
    return Number(rows[0]?.[0] ?? 0);
  }

  /** The whole stream, decoded, in version order. */
  async readStreamEvents(streamId: string): Promise<RecordedEvent[]> {
    const [rows] = await this.pool.execute<RowDataPacket[][]>(
      {
        sql: `SELECT ${this.columns} FROM ${this.table} WHERE stream_id = ? ORDER BY version`,
        rowsAsArray: true,
      },
      [streamId],
    );
    return decode(rows);
  }

  async readStream(streamId: string): Promise<number> {
    return (await this.readStreamEvents(streamId)).length;
  }

  /** Up to `limit` events after position `after`, decoded, in position order. */
  async readAllEvents(after: bigint, limit: number): Promise<RecordedEvent[]> {
    const [rows] = await this.pool.execute<RowDataPacket[][]>(
      {
        sql: `SELECT ${this.columns} FROM ${this.table} WHERE position > ? ORDER BY position LIMIT ?`,
        rowsAsArray: true,
      },
      [after.toString(), String(limit)],
    );
    return decode(rows);
  }

  async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    const events = await this.readAllEvents(after, limit);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function decode(rows: readonly unknown[][]) {
  return rows.map((row) =>
    minimalEvent(
      BigInt(row[0] as string | number),
      row[1] as string,
      row[2] as string,
      row[3] as string,
      row[4] as string,
      row[5] as string,
      Number(row[6]),
      Number(row[7]),
      row[8] as string | undefined,
      row[9] === undefined ? undefined : Number(row[9]),
      row[10] === undefined ? undefined : Number(row[10]),
    ),
  );
}

/**
 * A pool with every connection already established, as the adapter side's is by then. The floor's
 * run at READ COMMITTED: at REPEATABLE READ the version check inside its `UPDATE` would be a
 * locking read, whose next-key locks reach into the neighbouring stream's range and deadlock
 * appenders to different streams. A plain read is enough: the unique (stream_id, version) refuses
 * a racing append, as in the minimal store.
 */
async function openPool(url: string, readCommitted = false): Promise<Pool> {
  const pool = mysqlPool(url, MYSQL_POOL_SIZE);
  if (readCommitted) {
    pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    });
  }
  const connections = await Promise.all(Array.from({ length: MYSQL_POOL_SIZE }, () => pool.getConnection()));
  for (const connection of connections) connection.release();
  return pool;
}
