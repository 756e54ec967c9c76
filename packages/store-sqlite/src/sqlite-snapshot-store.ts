import {
  assertJsonValue,
  assertName,
  assertVersion,
  type LoadSnapshotOptions,
  type Snapshot,
  type SnapshotStore,
  ValidationError,
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
    if (typeof snapshot !== 'object' || snapshot === null)
      throw new ValidationError('snapshot', 'must be an object');
    assertName(snapshot.streamId, 'snapshot.streamId');
    assertVersion(snapshot.version, 'snapshot.version');
    assertVersion(snapshot.stateVersion, 'snapshot.stateVersion');
    assertJsonValue(snapshot.state, 'snapshot.state');
    const createdAt = snapshot.createdAt ?? new Date();
    if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
      throw new ValidationError('snapshot.createdAt', 'must be a valid Date');
    }
    const state = JSON.stringify(snapshot.state);
    this.run((s) =>
      s.save.run(snapshot.streamId, snapshot.version, snapshot.stateVersion, state, createdAt.getTime()),
    );
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    assertName(streamId, 'streamId');
    const { stateVersion } = options;
    if (stateVersion !== undefined) assertVersion(stateVersion, 'options.stateVersion');
    const maxVersion = options.maxVersion ?? Number.MAX_SAFE_INTEGER;
    assertVersion(maxVersion, 'options.maxVersion');
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

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    assertName(streamId, 'streamId');
    const { beforeVersion } = options;
    if (beforeVersion !== undefined) assertVersion(beforeVersion, 'options.beforeVersion');
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
  };
}
