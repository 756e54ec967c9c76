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
 * A transaction's `tx` is that same connection.
 */
export function sqliteProjectionReadModel(
  store: SqliteEventStore,
  db: SqliteDatabase,
): ProjectionReadModel<SqliteDatabase> {
  // Prepared once per connection, table and row count: a batch's statement serves every full batch.
  const statements = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();
  const upsert = (on: SqliteDatabase, table: ReadModelTable, rows: number) => {
    let byKey = statements.get(on);
    if (byKey === undefined) {
      byKey = new Map();
      statements.set(on, byKey);
    }
    const key = `${table}:${rows}`;
    let statement = byKey.get(key);
    if (statement === undefined) {
      statement = on.prepare(upsertSql(table, rows));
      byKey.set(key, statement);
    }
    return statement;
  };
  const upsertOneIn = (on: SqliteDatabase, table: ReadModelTable, event: RecordedEvent) => {
    upsert(on, table, 1).run(...rowValues(event));
  };
  const upsertManyIn = (on: SqliteDatabase, table: ReadModelTable, events: readonly RecordedEvent[]) => {
    upsert(on, table, events.length).run(...events.flatMap(rowValues));
  };
  return {
    checkpoints: store.checkpoints,
    hooks: store,
    async create() {
      for (const table of READ_MODEL_TABLES) {
        db.exec(
          `CREATE TABLE ${tableName(table)} (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, amount INTEGER NOT NULL)`,
        );
      }
    },
    async upsertOne(table, event) {
      upsertOneIn(db, table, event);
    },
    async upsertMany(table, events) {
      upsertManyIn(db, table, events);
    },
    upsertOneIn,
    upsertManyIn,
    async clear(table) {
      db.prepare(`DELETE FROM ${tableName(table)}`).run();
    },
    async count(table) {
      const row = db.prepare(`SELECT count(*) AS n FROM ${tableName(table)}`).get() as { n: number };
      return row.n;
    },
  };
}
