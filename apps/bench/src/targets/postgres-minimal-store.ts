import type { NewEvent, RecordedEvent } from '@strata/core';
import pg from 'pg';
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
import { POSTGRES_POOL_SIZE } from './postgres-raw-baseline.js';

const SELECT_COLUMNS = 'position, stream_id, stream_type, event_type, data, metadata, version, occurred_at';
/** The floor's reads return what the contract asks: the stored id, schema version and recording time too. */
const FLOOR_SELECT_COLUMNS = `${SELECT_COLUMNS}, event_id, schema_version, recorded_at`;

/**
 * Issue 12's minimal event store on PostgreSQL, in `schema`: one table with a `bigint` identity
 * position as the primary key, JSON as text, a unique (stream_id, version), nothing else.
 */
export function postgresMinimalSchemaSql(schema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE "${schema}".${MINIMAL_TABLE} (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_id text NOT NULL,
      stream_type text NOT NULL,
      event_type text NOT NULL,
      data text NOT NULL,
      metadata text NOT NULL,
      version integer NOT NULL,
      occurred_at bigint NOT NULL,
      UNIQUE (stream_id, version)
    )`,
  ];
}

/** The floor's one-row position counter, beside its table. */
export const POSTGRES_FLOOR_SEQUENCE = `${FLOOR_TABLE}_sequence`;

/**
 * The floor of issue 12 on PostgreSQL, in `schema`: the minimal table plus what the contract
 * cannot do without. A unique event id (UUID v7 text, as the store makes them): the index that
 * idempotent retries and store-wide id uniqueness need. The schema version and the recording
 * time, which every read returns. And positions handed out in commit order, so that `readAll`
 * never skips an event that commits late: an identity or sequence value is taken at insert time
 * and never waits for earlier transactions, so a reader can see position n + 1 committed while n
 * is still open (the conformance kit's gap-safety topic fails such a store). Here a one-row
 * counter whose row lock the transaction holds until COMMIT. No store that keeps the contract
 * writes or reads less per event.
 */
export function postgresFloorSchemaSql(schema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE "${schema}".${POSTGRES_FLOOR_SEQUENCE} (id integer PRIMARY KEY, position bigint NOT NULL)`,
    `INSERT INTO "${schema}".${POSTGRES_FLOOR_SEQUENCE} (id, position) VALUES (1, 0)`,
    `CREATE TABLE "${schema}".${FLOOR_TABLE} (
      position bigint PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      stream_id text NOT NULL,
      stream_type text NOT NULL,
      event_type text NOT NULL,
      data text NOT NULL,
      metadata text NOT NULL,
      version integer NOT NULL,
      occurred_at bigint NOT NULL,
      schema_version integer NOT NULL,
      recorded_at bigint NOT NULL,
      UNIQUE (stream_id, version)
    )`,
  ];
}

interface Row {
  position: string;
  stream_id: string;
  stream_type: string;
  event_type: string;
  data: string;
  metadata: string;
  version: number;
  occurred_at: string;
  /** The floor's reads only. */
  event_id?: string;
  schema_version?: number;
  recorded_at?: string;
}

/**
 * The minimal store with pg, a pool of as many connections as the store's: per append `BEGIN`,
 * `SELECT COALESCE(MAX(version), 0)`, one multi-row `INSERT` with bind parameters, `COMMIT`; reads
 * are one indexed `SELECT` each. The floor checks the version, takes its positions from its
 * counter and reads the type the stream's first append fixed in one `UPDATE` instead of the
 * `SELECT`.
 */
export class PostgresMinimalStore implements BenchSubject {
  private readonly table: string;
  private readonly columns: string;
  /** The floor's position counter; the minimal store's positions are its identity column. */
  private readonly sequence: string | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    schema: string,
    withEventIds: boolean,
  ) {
    this.table = `"${schema}".${withEventIds ? FLOOR_TABLE : MINIMAL_TABLE}`;
    this.sequence = withEventIds ? `"${schema}".${POSTGRES_FLOOR_SEQUENCE}` : undefined;
    this.columns = withEventIds ? FLOOR_SELECT_COLUMNS : SELECT_COLUMNS;
  }

  /** Opens a pool with every connection already established, as the adapter side's is by then. */
  static async open(url: string, schema: string): Promise<PostgresMinimalStore> {
    return new PostgresMinimalStore(await openPool(url), schema, false);
  }

  /**
   * The floor (`postgresFloorSchemaSql`): the same store writing a UUID v7 id per event into its
   * unique index, with positions from its counter, after the contract's input checks
   * (`checkedFloorEvents`). Reads are the minimal store's, on the floor's table, with the stored
   * id, schema version and recording time.
   */
  static async openFloor(url: string, schema: string): Promise<PostgresMinimalStore> {
    return new PostgresMinimalStore(await openPool(url), schema, true);
  }

  /**
   * Appends with the workloads' stream type unless `streamType` is given. The floor's counter
   * `UPDATE` returns the type a stream's first append fixed, which it writes; the minimal store
   * writes whatever type it is given.
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const now = Date.now();
      const values: unknown[] = [streamId, streamType, now];
      const columns = 'stream_id, stream_type, event_type, data, metadata, version, occurred_at';
      if (this.sequence === undefined || checked === undefined) {
        const current = await this.currentVersion(client, streamId);
        if (current !== expectedVersion) throw minimalConflict(streamId, current, expectedVersion);
        const tuples = events.map((event, i) => {
          const { data, metadata } = minimalPayload(event);
          const p = values.length + 1;
          values.push(event.type, data, metadata, expectedVersion + i + 1);
          return `($1, $2, $${p}, $${p + 1}, $${p + 2}, $${p + 3}, $3)`;
        });
        await client.query(`INSERT INTO ${this.table} (${columns}) VALUES ${tuples.join(', ')}`, values);
      } else {
        // The version check, the positions and the stream's type (as its first event has it) in
        // one statement, as a hand-written store would fold them: the counter's row lock is then
        // held for the INSERT and the COMMIT only. A racing append that passed the same check
        // fails on the unique (stream_id, version).
        const taken = await client.query<{ position: string; stream_type: string | null }>(
          `UPDATE ${this.sequence} SET position = position + $1 WHERE id = 1
             AND (SELECT COALESCE(MAX(version), 0) FROM ${this.table} WHERE stream_id = $2) = $3
           RETURNING position,
             (SELECT stream_type FROM ${this.table} WHERE stream_id = $2 AND version = 1) AS stream_type`,
          [events.length, streamId, expectedVersion],
        );
        const last = taken.rows[0]?.position;
        if (last === undefined) {
          throw minimalConflict(streamId, await this.currentVersion(client, streamId), expectedVersion);
        }
        values[1] = taken.rows[0]?.stream_type ?? streamType;
        const first = BigInt(last) - BigInt(events.length) + 1n;
        const tuples = checked.map((event, i) => {
          const p = values.length + 1;
          values.push(
            event.type,
            event.dataJson,
            event.metadataJson,
            expectedVersion + i + 1,
            event.id,
            first + BigInt(i),
            event.schemaVersion,
            event.occurredAt.getTime(),
          );
          // The recording time is the transaction's: $3.
          return `($${p + 5}, $${p + 4}, $1, $2, $${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 7}, $${p + 6}, $3)`;
        });
        await client.query(
          `INSERT INTO ${this.table} (position, event_id, ${columns}, schema_version, recorded_at)
           VALUES ${tuples.join(', ')}`,
          values,
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async currentVersion(client: pg.PoolClient, streamId: string): Promise<number> {
    const { rows } = await client.query<{ version: number }>(
      `SELECT COALESCE(MAX(version), 0) AS version FROM ${this.table} WHERE stream_id = $1`,
      [streamId],
    );
    return Number(rows[0]!.version);
  }

  /** The whole stream, decoded, in version order. */
  async readStreamEvents(streamId: string): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return decode(rows);
  }

  async readStream(streamId: string): Promise<number> {
    return (await this.readStreamEvents(streamId)).length;
  }

  /** Up to `limit` events after position `after`, decoded, in position order. */
  async readAllEvents(after: bigint, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE position > $1 ORDER BY position LIMIT $2`,
      [after.toString(), limit],
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

async function openPool(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: POSTGRES_POOL_SIZE });
  pool.on('error', () => {});
  const clients = await Promise.all(Array.from({ length: POSTGRES_POOL_SIZE }, () => pool.connect()));
  for (const client of clients) client.release();
  return pool;
}

function decode(rows: readonly Row[]) {
  return rows.map((row) =>
    minimalEvent(
      BigInt(row.position),
      row.stream_id,
      row.stream_type,
      row.event_type,
      row.data,
      row.metadata,
      row.version,
      Number(row.occurred_at),
      row.event_id,
      row.schema_version,
      row.recorded_at === undefined ? undefined : Number(row.recorded_at),
    ),
  );
}
