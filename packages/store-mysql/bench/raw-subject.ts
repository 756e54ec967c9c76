import { type RecordedEvent, uuidv7 } from '@strata/core';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { type BenchSubject, benchEvents } from './bench-subject.js';
import { dropTables } from './bench-tables.js';

const COLUMNS =
  'position, stream_id, version, event_id, stream_type, event_type, data, metadata, schema_version, occurred_at, recorded_at';
const INSERT_COLUMNS =
  'stream_id, version, event_id, stream_type, event_type, data, metadata, schema_version, occurred_at, recorded_at';

/**
 * The raw mysql2 baseline: the plain four-round-trip transaction (BEGIN, SELECT the stream's
 * version, INSERT, COMMIT) on a table with the same columns and indexes as the store's events
 * table but an AUTO_INCREMENT position (which is NOT gap-safe: a reader can skip a late commit),
 * and reads decoded into the same event objects the store returns.
 */
export class RawSubject implements BenchSubject {
  readonly name = 'raw mysql2';
  private pool: Pool | undefined;
  private readonly table: string;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {
    this.table = `\`${prefix}raw_events\``;
  }

  async setUp(): Promise<void> {
    this.pool = createPool({ uri: this.url, connectionLimit: 8, supportBigNumbers: true });
    await this.pool.query(`CREATE TABLE ${this.table} (
      position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      stream_id VARCHAR(255) NOT NULL,
      version BIGINT UNSIGNED NOT NULL,
      event_id VARCHAR(255) NOT NULL,
      stream_type VARCHAR(255) NOT NULL,
      event_type VARCHAR(255) NOT NULL,
      data LONGTEXT NOT NULL,
      metadata LONGTEXT NOT NULL,
      schema_version BIGINT UNSIGNED NOT NULL,
      occurred_at BIGINT NOT NULL,
      recorded_at BIGINT NOT NULL,
      PRIMARY KEY (position),
      UNIQUE KEY stream_version (stream_id, version),
      UNIQUE KEY event_id (event_id),
      KEY type_position (event_type, position)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin`);
  }

  async append(streamId: string, events: Parameters<BenchSubject['append']>[1], expectedVersion: number) {
    const connection = await this.opened().getConnection();
    try {
      await connection.query('BEGIN');
      const [rows] = await connection.execute<RowDataPacket[][]>(
        { sql: `SELECT MAX(version) FROM ${this.table} WHERE stream_id = ?`, rowsAsArray: true },
        [streamId],
      );
      const current = Number(rows[0]?.[0] ?? 0);
      if (current !== expectedVersion)
        throw new Error(`stream ${streamId} is at ${current}, expected ${expectedVersion}`);
      await connection.execute<ResultSetHeader>(
        insertSql(this.table, events.length),
        insertValues(streamId, current, events),
      );
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK');
      throw error;
    } finally {
      connection.release();
    }
  }

  async seed(streamIds: readonly string[], eventsPerStream: number): Promise<void> {
    for (const [i, streamId] of streamIds.entries()) {
      for (let done = 0; done < eventsPerStream; done += 500) {
        const count = Math.min(500, eventsPerStream - done);
        const events = benchEvents(i * eventsPerStream + done, count);
        await this.opened().execute(insertSql(this.table, count), insertValues(streamId, done, events));
      }
    }
  }

  async readStream(streamId: string): Promise<number> {
    const [rows] = await this.opened().execute<RowDataPacket[][]>(
      { sql: `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = ? ORDER BY version`, rowsAsArray: true },
      [streamId],
    );
    return decode(rows).length;
  }

  async readAll(after: bigint, limit: number) {
    const [rows] = await this.opened().execute<RowDataPacket[][]>(
      {
        sql: `SELECT ${COLUMNS} FROM ${this.table} WHERE position > ? ORDER BY position LIMIT ?`,
        rowsAsArray: true,
      },
      [after.toString(), String(limit)],
    );
    const events = decode(rows);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  async tearDown(): Promise<void> {
    await this.pool?.end();
    await dropTables(this.url, this.prefix, ['raw_events']);
  }

  private opened(): Pool {
    if (this.pool === undefined) throw new Error('setUp() first');
    return this.pool;
  }
}

function insertSql(table: string, rows: number): string {
  return `INSERT INTO ${table} (${INSERT_COLUMNS}) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
}

function insertValues(streamId: string, current: number, events: Parameters<BenchSubject['append']>[1]) {
  const now = Date.now();
  return events.flatMap((event, i) => [
    streamId,
    current + i + 1,
    uuidv7(),
    'default',
    event.type,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata ?? {}),
    1,
    now,
    now,
  ]);
}

function decode(rows: readonly unknown[][]): RecordedEvent[] {
  return rows.map((row) => ({
    id: row[3] as string,
    streamId: row[1] as string,
    streamType: row[4] as string,
    type: row[5] as string,
    data: JSON.parse(row[6] as string),
    metadata: JSON.parse(row[7] as string),
    schemaVersion: Number(row[8]),
    version: Number(row[2]),
    position: BigInt(row[0] as string | number),
    occurredAt: new Date(Number(row[9])),
    recordedAt: new Date(Number(row[10])),
  }));
}
