import { type NewEvent, type RecordedEvent, uuidv7 } from '@strata/core';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { MYSQL_RAW_TABLE } from './mysql-bench-schema.js';

/** The size of the store's own pool (its `poolSize` default), so both sides have as many connections. */
export const MYSQL_POOL_SIZE = 10;

const COLUMNS =
  'position, stream_id, version, event_id, stream_type, event_type, data, metadata, schema_version, occurred_at, recorded_at';
const INSERT_COLUMNS =
  'stream_id, version, event_id, stream_type, event_type, data, metadata, schema_version, occurred_at, recorded_at';

/** The options the store gives the pool it creates from a connection string (mysql-store-context.ts). */
export function mysqlPool(url: string, connectionLimit: number): Pool {
  return createPool({
    uri: url,
    connectionLimit,
    maxIdle: connectionLimit,
    supportBigNumbers: true,
    enableKeepAlive: true,
    charset: 'utf8mb4_unicode_ci',
  });
}

/**
 * What a plain hand-written mysql2 data layer does: one
 * transaction of four round trips per append (BEGIN, SELECT the stream's version, one multi-row
 * prepared INSERT, COMMIT) on a copy of the store's events table with an AUTO_INCREMENT position,
 * and reads decoded into the event objects the contract returns. Its global order is the naive one
 * (AUTO_INCREMENT read by `position > ?`), which skips late commits; the store's does not.
 */
export class MysqlRawBaseline implements BenchSubject {
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    prefix: string,
  ) {
    this.table = `\`${prefix}${MYSQL_RAW_TABLE}\``;
  }

  /** Opens a pool with every connection already established, as the adapter side's is by then. */
  static async open(url: string, prefix: string): Promise<MysqlRawBaseline> {
    const pool = mysqlPool(url, MYSQL_POOL_SIZE);
    const connections = await Promise.all(
      Array.from({ length: MYSQL_POOL_SIZE }, () => pool.getConnection()),
    );
    for (const connection of connections) connection.release();
    return new MysqlRawBaseline(pool, prefix);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void> {
    const connection = await this.pool.getConnection();
    try {
      await connection.query('BEGIN');
      const [rows] = await connection.execute<RowDataPacket[][]>(
        { sql: `SELECT MAX(version) FROM ${this.table} WHERE stream_id = ?`, rowsAsArray: true },
        [streamId],
      );
      const current = Number(rows[0]?.[0] ?? 0);
      if (current !== expectedVersion)
        throw new Error(`stream ${streamId} is at ${current}, not ${expectedVersion}`);
      const now = Date.now();
      const values = events.flatMap((event, i) => [
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
      const tuples = Array<string>(events.length).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      await connection.execute<ResultSetHeader>(
        `INSERT INTO ${this.table} (${INSERT_COLUMNS}) VALUES ${tuples}`,
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

  async readStream(streamId: string): Promise<number> {
    const [rows] = await this.pool.execute<RowDataPacket[][]>(
      { sql: `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = ? ORDER BY version`, rowsAsArray: true },
      [streamId],
    );
    return decode(rows).length;
  }

  async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    const [rows] = await this.pool.execute<RowDataPacket[][]>(
      {
        sql: `SELECT ${COLUMNS} FROM ${this.table} WHERE position > ? ORDER BY position LIMIT ?`,
        rowsAsArray: true,
      },
      [after.toString(), String(limit)],
    );
    const events = decode(rows);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
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
