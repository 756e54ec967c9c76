import type { RecordedEvent } from '@strata/core';
import type { MysqlEventStore, MysqlQueryable } from '@strata/store-mysql';
import {
  amountOf,
  type ProjectionReadModel,
  READ_MODEL_TABLES,
  type ReadModelTable,
} from './projection-read-model.js';

type Row = [string, string, number];

const rowValues = (event: RecordedEvent): Row => [event.position.toString(), event.streamId, amountOf(event)];

/** The read model beside the store's tables, under its prefix, on the store's own pool. */
export function mysqlProjectionReadModel(
  store: MysqlEventStore,
  prefix: string,
): ProjectionReadModel<MysqlQueryable> {
  const tableName = (table: ReadModelTable) => `\`${prefix}bench_rm_${table}\``;
  const upsertSql = (table: ReadModelTable, rows: number) =>
    `INSERT INTO ${tableName(table)} (position, stream_id, amount) VALUES ${Array.from(
      { length: rows },
      () => '(?, ?, ?)',
    ).join(', ')} ON DUPLICATE KEY UPDATE stream_id = VALUES(stream_id), amount = VALUES(amount)`;
  // A prepared statement per row count: mysql2 caches it per connection.
  const upsertOneIn = async (on: MysqlQueryable, table: ReadModelTable, event: RecordedEvent) => {
    await on.execute({ sql: upsertSql(table, 1) }, rowValues(event));
  };
  const upsertManyIn = async (
    on: MysqlQueryable,
    table: ReadModelTable,
    events: readonly RecordedEvent[],
  ) => {
    await on.execute({ sql: upsertSql(table, events.length) }, events.flatMap(rowValues));
  };
  return {
    checkpoints: store.checkpoints,
    hooks: store,
    async create() {
      for (const table of READ_MODEL_TABLES) {
        await store.pool.query({
          sql: `CREATE TABLE ${tableName(table)} (position BIGINT PRIMARY KEY, stream_id VARCHAR(200) NOT NULL, amount INT NOT NULL)`,
        });
      }
    },
    upsertOne: (table, event) => upsertOneIn(store.pool, table, event),
    upsertMany: (table, events) => upsertManyIn(store.pool, table, events),
    upsertOneIn,
    upsertManyIn,
    async clear(table) {
      await store.pool.query({ sql: `DELETE FROM ${tableName(table)}` });
    },
    async count(table) {
      const [rows] = await store.pool.query({ sql: `SELECT count(*) AS n FROM ${tableName(table)}` });
      return Number((rows as { n: number }[])[0]!.n);
    },
  };
}
