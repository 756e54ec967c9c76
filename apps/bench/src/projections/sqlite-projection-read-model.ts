import type { RecordedEvent } from '@strata/core';
import type { SqliteDatabase, SqliteEventStore, SqliteStatement } from '@strata/store-sqlite';
import {
  amountOf,
  type ProjectionReadModel,
  READ_MODEL_TABLES,
  type ReadModelTable,
} from './projection-read-model.js';

const tableName = (table: ReadModelTable) => `bench_rm_${table}`;

const upsertSql = (table: ReadModelTable, rows: number) =>
  `INSERT INTO ${tableName(table)} (position, stream_id, amount) VALUES ${Array.from(
    { length: rows },
    () => '(?, ?, ?)',
  ).join(', ')}
   ON CONFLICT (position) DO UPDATE SET stream_id = excluded.stream_id, amount = excluded.amount`;

const rowValues = (event: RecordedEvent) => [event.position, event.streamId, amountOf(event)];

/**
 * The read model on the store's own connection (the store was opened on `db`): better-sqlite3 is
 * synchronous, so sharing it costs no lock waits and is what an application in one process does.
 */
export function sqliteProjectionReadModel(store: SqliteEventStore, db: SqliteDatabase): ProjectionReadModel {
  // Prepared once per table and row count: a batch's statement is reused for every full batch.
  const statements = new Map<string, SqliteStatement>();
  const upsert = (table: ReadModelTable, rows: number) => {
    const key = `${table}:${rows}`;
    let statement = statements.get(key);
    if (statement === undefined) {
      statement = db.prepare(upsertSql(table, rows));
      statements.set(key, statement);
    }
    return statement;
  };
  return {
    async create() {
      for (const table of READ_MODEL_TABLES) {
        db.exec(
          `CREATE TABLE ${tableName(table)} (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, amount INTEGER NOT NULL)`,
        );
      }
    },
    async upsertOne(table, event) {
      upsert(table, 1).run(...rowValues(event));
    },
    async upsertMany(table, events) {
      upsert(table, events.length).run(...events.flatMap(rowValues));
    },
    attachRealtimeRow() {
      // The hook gets the store's connection inside the append's transaction: the same `db`.
      return store.onAppend(({ events }) => {
        for (const event of events) upsert('realtime', 1).run(...rowValues(event));
      });
    },
    async count(table) {
      const row = db.prepare(`SELECT count(*) AS n FROM ${tableName(table)}`).get() as { n: number };
      return row.n;
    },
  };
}
