import type { RecordedEvent } from '@strata/core';
import type { PostgresClient, PostgresEventStore, PostgresQueryConfig } from '@strata/store-postgres';
import type pg from 'pg';
import {
  amountOf,
  type ProjectionReadModel,
  READ_MODEL_TABLES,
  type ReadModelTable,
} from './projection-read-model.js';

/**
 * The read model in the store's schema, written through a pool of its own outside transactions
 * (the store keeps its pool to itself), and through the transaction's client inside one.
 */
export function postgresProjectionReadModel(
  store: PostgresEventStore,
  pool: pg.Pool,
  schema: string,
): ProjectionReadModel<PostgresClient> {
  const tableName = (table: ReadModelTable) => `"${schema}".bench_rm_${table}`;
  // unnest over arrays: one statement text for any batch size, prepared once per connection.
  const upsertMany = (table: ReadModelTable, events: readonly RecordedEvent[]): PostgresQueryConfig => ({
    name: `bench_rm_upsert_${table}`,
    text: `INSERT INTO ${tableName(table)} (position, stream_id, amount)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[])
           ON CONFLICT (position) DO UPDATE SET stream_id = excluded.stream_id, amount = excluded.amount`,
    values: [events.map((e) => e.position.toString()), events.map((e) => e.streamId), events.map(amountOf)],
  });
  const upsertOne = (table: ReadModelTable, event: RecordedEvent): PostgresQueryConfig => ({
    name: `bench_rm_upsert_one_${table}`,
    text: `INSERT INTO ${tableName(table)} (position, stream_id, amount) VALUES ($1, $2, $3)
           ON CONFLICT (position) DO UPDATE SET stream_id = excluded.stream_id, amount = excluded.amount`,
    values: [event.position.toString(), event.streamId, amountOf(event)],
  });
  return {
    checkpoints: store.checkpoints,
    hooks: store,
    async create() {
      for (const table of READ_MODEL_TABLES) {
        await pool.query(
          `CREATE TABLE ${tableName(table)} (position bigint PRIMARY KEY, stream_id text NOT NULL, amount integer NOT NULL)`,
        );
      }
    },
    async upsertOne(table, event) {
      await pool.query(upsertOne(table, event));
    },
    async upsertMany(table, events) {
      await pool.query(upsertMany(table, events));
    },
    async upsertOneIn(tx, table, event) {
      await tx.query(upsertOne(table, event));
    },
    async upsertManyIn(tx, table, events) {
      await tx.query(upsertMany(table, events));
    },
    async clear(table) {
      await pool.query(`DELETE FROM ${tableName(table)}`);
    },
    async count(table) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${tableName(table)}`);
      return rows[0].n as number;
    },
  };
}
