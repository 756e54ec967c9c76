import {
  type ListSnapshotStreamsOptions,
  type LoadSnapshotOptions,
  normalizeDeleteSnapshots,
  normalizeListSnapshotStreams,
  normalizeLoadSnapshot,
  prepareSnapshot,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { toStoreError } from './sqlite-errors.js';

interface SnapshotStatements {
  save: SqliteStatement;
  loadAny: SqliteStatement;
  loadOfStateVersion: SqliteStatement;
  deleteAll: SqliteStatement;
  deleteBefore: SqliteStatement;
  listFirst: SqliteStatement;
  listAfter: SqliteStatement;
}

/**
 * Snapshots in the event store's database; get it as `store.snapshots`. One row per
 * (stream, version): saving the same version again replaces it.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private statements: SnapshotStatements | undefined;

  /** @internal Created by `SqliteEventStore`. */
  constructor(private readonly connection: SqliteConnection<SqliteDatabase>) {}

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    const { streamId, version, stateVersion, stateJson, createdAt } = prepareSnapshot(snapshot);
    this.run((s) => s.save.run(streamId, version, stateVersion, stateJson, createdAt.getTime()));
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const { stateVersion, maxVersion } = normalizeLoadSnapshot(streamId, options);
    const row = this.run((s) =>
      stateVersion === undefined
        ? s.loadAny.get(streamId, maxVersion)
        : s.loadOfStateVersion.get(streamId, maxVersion, stateVersion),
    ) as [number, number, string, number] | undefined;
    if (row === undefined) return undefined;
    return {
      streamId,
      version: row[0],
      stateVersion: row[1],
      state: JSON.parse(row[2]),
      createdAt: new Date(row[3]),
    };
  }

  async listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    const { after, limit } = normalizeListSnapshotStreams(options);
    const rows = this.run((s) =>
      after === undefined ? s.listFirst.all(limit) : s.listAfter.all(after, limit),
    ) as Array<[string]>;
    return rows.map((row) => row[0]);
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    const { beforeVersion } = normalizeDeleteSnapshots(streamId, options);
    return this.run((s) =>
      beforeVersion === undefined ? s.deleteAll.run(streamId) : s.deleteBefore.run(streamId, beforeVersion),
    ).changes;
  }

  private run<T>(work: (statements: SnapshotStatements) => T): T {
    const db = this.connection.database();
    try {
      this.statements ??= prepare(db, this.connection.tables.snapshots);
      return work(this.statements);
    } catch (error) {
      throw toStoreError(error, db);
    }
  }
}

function prepare(db: SqliteDatabase, table: string): SnapshotStatements {
  const load = (filter: string) =>
    db
      .prepare(
        `SELECT version, state_version, state, created_at FROM ${table}
         WHERE stream_id = ? AND version <= ?${filter} ORDER BY version DESC LIMIT 1`,
      )
      .raw(true)
      .safeIntegers(false);
  return {
    save: db.prepare(
      `INSERT INTO ${table} (stream_id, version, state_version, state, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (stream_id, version) DO UPDATE SET
         state_version = excluded.state_version, state = excluded.state, created_at = excluded.created_at`,
    ),
    loadAny: load(''),
    loadOfStateVersion: load(' AND state_version = ?'),
    deleteAll: db.prepare(`DELETE FROM ${table} WHERE stream_id = ?`).safeIntegers(false),
    deleteBefore: db.prepare(`DELETE FROM ${table} WHERE stream_id = ? AND version < ?`).safeIntegers(false),
    // DISTINCT over the primary key's leading column: an index scan, no sort.
    listFirst: db.prepare(`SELECT DISTINCT stream_id FROM ${table} ORDER BY stream_id LIMIT ?`).raw(true),
    listAfter: db
      .prepare(`SELECT DISTINCT stream_id FROM ${table} WHERE stream_id > ? ORDER BY stream_id LIMIT ?`)
      .raw(true),
  };
}
