import { type NewEvent, type RecordedEvent, uuidv7 } from '@strata/core';
import type pg from 'pg';

const COLUMNS =
  'position, event_id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at';

/** The raw side's table: the store's events table (same columns, types and indexes), no streams table. */
export function rawSchemaSql(schema: string): string[] {
  const events = `"${schema}".raw_events`;
  return [
    `CREATE TABLE ${events} (
      position bigserial PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      stream_id text NOT NULL,
      stream_type text NOT NULL,
      event_type text NOT NULL,
      data json NOT NULL,
      metadata json NOT NULL,
      version integer NOT NULL,
      schema_version integer NOT NULL,
      occurred_at bigint NOT NULL,
      recorded_at bigint NOT NULL,
      UNIQUE (stream_id, version)
    )`,
    `CREATE INDEX ON ${events} (event_type, position)`,
  ];
}

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
 * What a plain hand-written pg data layer does: one transaction of four round trips per append
 * (BEGIN, SELECT the stream's version, one multi-row INSERT with bind parameters, COMMIT), and reads
 * decoded by pg's own parsers into the same event objects the store returns. Its `readAll` is the
 * naive one: a position from a sequence, read by `position > $1`, which skips late commits.
 */
export class RawBaseline {
  private readonly events: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.events = `"${schema}".raw_events`;
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
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM ${this.events} WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return decode(rows).length;
  }

  async readAll(after: bigint, limit: number): Promise<{ count: number; lastPosition: bigint | undefined }> {
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM ${this.events} WHERE position > $1 ORDER BY position LIMIT $2`,
      [after.toString(), limit],
    );
    const events = decode(rows);
    return { count: events.length, lastPosition: events[events.length - 1]?.position };
  }
}

function decode(rows: RawRow[]): RecordedEvent[] {
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
