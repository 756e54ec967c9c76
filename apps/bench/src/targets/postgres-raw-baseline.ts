import { type NewEvent, type RecordedEvent, uuidv7 } from '@strata/core';
import pg from 'pg';
import type { BenchSubject, ReadAllPage } from '../bench-target.js';
import { POSTGRES_RAW_TABLE } from './postgres-bench-schema.js';

const COLUMNS =
  'position, event_id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at';

/** The size of the store's own pool (its `poolSize` default), so both sides have as many connections. */
export const POSTGRES_POOL_SIZE = 10;

interface RawRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_type: string;
  event_type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  version: number;
  schema_version: number;
  occurred_at: string;
  recorded_at: string;
}

/**
 * What a plain hand-written pg data layer does: one
 * transaction of four round trips per append (BEGIN, SELECT the stream's version, one multi-row
 * INSERT with bind parameters, COMMIT) on a table with the store's columns and indexes, and reads
 * decoded by pg's own parsers into the event objects the contract returns. Its global order is the
 * naive one (a sequence read by `position > $1`), which skips late commits; the store's does not.
 */
export class PostgresRawBaseline implements BenchSubject {
  private readonly events: string;

  private constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.events = `"${schema}".${POSTGRES_RAW_TABLE}`;
  }

  /** Opens a pool with every connection already established, as the adapter side's is by then. */
  static async open(url: string, schema: string): Promise<PostgresRawBaseline> {
    const pool = new pg.Pool({ connectionString: url, max: POSTGRES_POOL_SIZE });
    pool.on('error', () => {});
    const clients = await Promise.all(Array.from({ length: POSTGRES_POOL_SIZE }, () => pool.connect()));
    for (const client of clients) client.release();
    return new PostgresRawBaseline(pool, schema);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedVersion: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT coalesce(max(version), 0) AS version FROM ${this.events} WHERE stream_id = $1`,
        [streamId],
      );
      const current = Number(rows[0].version);
      if (current !== expectedVersion)
        throw new Error(`stream ${streamId} is at ${current}, not ${expectedVersion}`);
      const now = Date.now();
      const values: unknown[] = [];
      const tuples = events.map((event, i) => {
        values.push(
          uuidv7(),
          streamId,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          current + i + 1,
          now,
        );
        const p = i * 7;
        return `($${p + 1}, $${p + 2}, 'default', $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, 1, $${p + 7}, $${p + 7})`;
      });
      await client.query(
        `INSERT INTO ${this.events} (event_id, stream_id, stream_type, event_type, data, metadata, version,
           schema_version, occurred_at, recorded_at) VALUES ${tuples.join(', ')}`,
        values,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async readStream(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<RawRow>(
      `SELECT ${COLUMNS} FROM ${this.events} WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return decode(rows).length;
  }

  async readAll(after: bigint, limit: number): Promise<ReadAllPage> {
    const { rows } = await this.pool.query<RawRow>(
      `SELECT ${COLUMNS} FROM ${this.events} WHERE position > $1 ORDER BY position LIMIT $2`,
      [after.toString(), limit],
    );
    const events = decode(rows);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function decode(rows: readonly RawRow[]): RecordedEvent[] {
  return rows.map((row) => ({
    id: row.event_id,
    streamId: row.stream_id,
    streamType: row.stream_type,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    schemaVersion: row.schema_version,
    version: row.version,
    position: BigInt(row.position),
    occurredAt: new Date(Number(row.occurred_at)),
    recordedAt: new Date(Number(row.recorded_at)),
  }));
}
