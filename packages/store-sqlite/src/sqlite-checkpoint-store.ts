import { assertCheckpointPosition, assertName, type CheckpointStore } from '@strata/core';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { toStoreError } from './sqlite-errors.js';

interface CheckpointStatements {
  load: SqliteStatement;
  save: SqliteStatement;
  delete: SqliteStatement;
}

/** Projection checkpoints in the event store's database; get it as `store.checkpoints`. */
export class SqliteCheckpointStore implements CheckpointStore {
  private statements: CheckpointStatements | undefined;

  /** @internal Created by `SqliteEventStore`. */
  constructor(private readonly connection: SqliteConnection<SqliteDatabase>) {}

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    const row = this.run((s) => s.load.get(name)) as [bigint] | undefined;
    return row?.[0];
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertName(name, 'name');
    assertCheckpointPosition(position);
    this.run((s) => s.save.run(name, position, Date.now()));
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    this.run((s) => s.delete.run(name));
  }

  private run<T>(work: (statements: CheckpointStatements) => T): T {
    const db = this.connection.database();
    try {
      this.statements ??= prepare(db, this.connection.tables.checkpoints);
      return work(this.statements);
    } catch (error) {
      throw toStoreError(error, db);
    }
  }
}

function prepare(db: SqliteDatabase, table: string): CheckpointStatements {
  return {
    // Positions are bigint in the contract: read them exactly.
    load: db.prepare(`SELECT position FROM ${table} WHERE name = ?`).raw(true).safeIntegers(true),
    save: db.prepare(
      `INSERT INTO ${table} (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    ),
    delete: db.prepare(`DELETE FROM ${table} WHERE name = ?`),
  };
}
