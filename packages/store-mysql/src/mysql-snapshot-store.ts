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
import type { MysqlStoreContext } from './mysql-store-context.js';

/**
 * Snapshots in the event store's database; get it as `store.snapshots`. One row per
 * (stream, version): saving the same version again replaces it.
 */
export class MysqlSnapshotStore implements SnapshotStore {
  private readonly sql: {
    save: string;
    load: string;
    loadOfStateVersion: string;
    deleteAll: string;
    deleteBefore: string;
    listFirst: string;
    listAfter: string;
  };

  /** @internal Created by `MysqlEventStore`. */
  constructor(private readonly context: MysqlStoreContext) {
    const table = context.tables.snapshots;
    const load = (filter: string) =>
      `SELECT version, state_version, state, created_at FROM ${table}
       WHERE stream_id = ? AND version <= ?${filter} ORDER BY version DESC LIMIT 1`;
    this.sql = {
      // REPLACE rather than ON DUPLICATE KEY UPDATE ... VALUES(): MySQL 8 deprecates VALUES() there
      // and MariaDB lacks the row alias that replaces it.
      save: `REPLACE INTO ${table} (stream_id, version, state_version, state, created_at) VALUES (?, ?, ?, ?, ?)`,
      load: load(''),
      loadOfStateVersion: load(' AND state_version = ?'),
      deleteAll: `DELETE FROM ${table} WHERE stream_id = ?`,
      deleteBefore: `DELETE FROM ${table} WHERE stream_id = ? AND version < ?`,
      listFirst: `SELECT DISTINCT stream_id FROM ${table} ORDER BY stream_id LIMIT ?`,
      listAfter: `SELECT DISTINCT stream_id FROM ${table} WHERE stream_id > ? ORDER BY stream_id LIMIT ?`,
    };
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    const { streamId, version, stateVersion, stateJson, createdAt } = prepareSnapshot(snapshot);
    await this.context.write(this.sql.save, [
      streamId,
      version,
      stateVersion,
      stateJson,
      createdAt.getTime(),
    ]);
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const { stateVersion, maxVersion } = normalizeLoadSnapshot(streamId, options);
    const rows =
      stateVersion === undefined
        ? await this.context.select(this.sql.load, [streamId, maxVersion])
        : await this.context.select(this.sql.loadOfStateVersion, [streamId, maxVersion, stateVersion]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      streamId,
      version: Number(row[0]),
      stateVersion: Number(row[1]),
      state: JSON.parse(row[2] as string),
      createdAt: new Date(Number(row[3])),
    };
  }

  async listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    const { after, limit } = normalizeListSnapshotStreams(options);
    const rows =
      after === undefined
        ? await this.context.select(this.sql.listFirst, [String(limit)])
        : await this.context.select(this.sql.listAfter, [after, String(limit)]);
    return rows.map((row) => String(row[0]));
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    const { beforeVersion } = normalizeDeleteSnapshots(streamId, options);
    return beforeVersion === undefined
      ? this.context.write(this.sql.deleteAll, [streamId])
      : this.context.write(this.sql.deleteBefore, [streamId, beforeVersion]);
  }
}
