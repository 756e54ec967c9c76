import {
  type ListSnapshotStreamsOptions,
  type LoadSnapshotOptions,
  MAX_VERSION,
  normalizeDeleteSnapshots,
  normalizeListSnapshotStreams,
  normalizeLoadSnapshot,
  prepareSnapshot,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';

/**
 * Snapshots in the event store's database, one row per (stream, version). Get it as
 * `store.snapshots`; it shares the store's pool, tables prefix and lifetime.
 */
export class PostgresSnapshotStore implements SnapshotStore {
  private readonly save: PreparedStatement;
  private readonly load: PreparedStatement;
  private readonly remove: PreparedStatement;
  private readonly list: PreparedStatement;

  constructor(private readonly connection: PostgresConnection) {
    const { snapshots } = connection.tables;
    this.save = preparedStatement(
      `INSERT INTO ${snapshots} (stream_id, version, state_version, state, created_at)
       VALUES ($1, $2, $3, $4::json, $5)
       ON CONFLICT (stream_id, version) DO UPDATE
         SET state_version = EXCLUDED.state_version, state = EXCLUDED.state, created_at = EXCLUDED.created_at`,
    );
    this.load = preparedStatement(
      `SELECT version, state_version, state, created_at FROM ${snapshots}
        WHERE stream_id = $1 AND version <= $2 AND ($3::integer IS NULL OR state_version = $3)
        ORDER BY version DESC LIMIT 1`,
    );
    this.remove = preparedStatement(`DELETE FROM ${snapshots} WHERE stream_id = $1 AND version < $2::bigint`);
    // COLLATE "C": byte order, the same on every server whatever its default collation.
    this.list = preparedStatement(
      `SELECT DISTINCT stream_id COLLATE "C" AS stream_id FROM ${snapshots}
        WHERE $1::text IS NULL OR stream_id COLLATE "C" > $1::text
        ORDER BY 1 LIMIT $2`,
    );
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    const { streamId, version, stateVersion, stateJson, createdAt } = prepareSnapshot(snapshot);
    await this.connection.query(
      this.save.query([streamId, version, stateVersion, stateJson, createdAt.getTime()]),
    );
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    const { stateVersion, maxVersion } = normalizeLoadSnapshot(streamId, options);
    // A state version no row can hold matches nothing.
    if (stateVersion !== undefined && stateVersion > MAX_VERSION) return undefined;
    const { rows } = await this.connection.query(
      this.load.query([streamId, maxVersion, stateVersion ?? null]),
    );
    const row = rows[0] as [string, string, string, string] | undefined;
    if (row === undefined) return undefined;
    return {
      streamId,
      version: Number(row[0]),
      stateVersion: Number(row[1]),
      state: JSON.parse(row[2]),
      createdAt: new Date(Number(row[3])),
    };
  }

  async listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    const { after, limit } = normalizeListSnapshotStreams(options);
    const { rows } = await this.connection.query(this.list.query([after ?? null, limit]));
    return (rows as Array<[string]>).map((row) => row[0]);
  }

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    const { beforeVersion } = normalizeDeleteSnapshots(streamId, options);
    // Every stored version is below MAX_VERSION + 1, so "all" is a bound like any other.
    const before = Math.min(beforeVersion ?? MAX_VERSION + 1, MAX_VERSION + 1);
    const { rowCount } = await this.connection.query(this.remove.query([streamId, before]));
    return rowCount ?? 0;
  }
}
