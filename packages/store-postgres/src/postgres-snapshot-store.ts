import {
  assertJsonValue,
  assertName,
  assertVersion,
  type LoadSnapshotOptions,
  type Snapshot,
  type SnapshotStore,
  ValidationError,
} from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import { assertStorableText } from './postgres-text-check.js';

/** Versions are `integer` columns. */
const MAX_VERSION = 2_147_483_647;

/**
 * Snapshots in the event store's database, one row per (stream, version). Get it as
 * `store.snapshots`; it shares the store's pool, tables prefix and lifetime.
 */
export class PostgresSnapshotStore implements SnapshotStore {
  private readonly save: PreparedStatement;
  private readonly load: PreparedStatement;
  private readonly remove: PreparedStatement;

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
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    if (typeof snapshot !== 'object' || snapshot === null)
      throw new ValidationError('snapshot', 'must be an object');
    assertName(snapshot.streamId, 'snapshot.streamId');
    assertStorableText(snapshot.streamId, 'snapshot.streamId');
    assertIntegerVersion(snapshot.version, 'snapshot.version');
    assertIntegerVersion(snapshot.stateVersion, 'snapshot.stateVersion');
    assertJsonValue(snapshot.state, 'snapshot.state');
    const createdAt = snapshot.createdAt ?? new Date();
    if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
      throw new ValidationError('snapshot.createdAt', 'must be a valid Date');
    }
    await this.connection.query(
      this.save.query([
        snapshot.streamId,
        snapshot.version,
        snapshot.stateVersion,
        JSON.stringify(snapshot.state),
        createdAt.getTime(),
      ]),
    );
  }

  async loadSnapshot(streamId: string, options: LoadSnapshotOptions = {}): Promise<Snapshot | undefined> {
    assertName(streamId, 'streamId');
    assertStorableText(streamId, 'streamId');
    if (options.stateVersion !== undefined)
      assertIntegerVersion(options.stateVersion, 'options.stateVersion');
    if (options.maxVersion !== undefined) assertVersion(options.maxVersion, 'options.maxVersion');
    const maxVersion = Math.min(options.maxVersion ?? MAX_VERSION, MAX_VERSION);
    const { rows } = await this.connection.query(
      this.load.query([streamId, maxVersion, options.stateVersion ?? null]),
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

  async deleteSnapshots(streamId: string, options: { beforeVersion?: number } = {}): Promise<number> {
    assertName(streamId, 'streamId');
    assertStorableText(streamId, 'streamId');
    if (options.beforeVersion !== undefined) assertVersion(options.beforeVersion, 'options.beforeVersion');
    // Every stored version is below MAX_VERSION + 1, so "all" is a bound like any other.
    const before = options.beforeVersion ?? MAX_VERSION + 1;
    const { rowCount } = await this.connection.query(this.remove.query([streamId, before]));
    return rowCount ?? 0;
  }
}

function assertIntegerVersion(value: unknown, path: string): asserts value is number {
  assertVersion(value, path);
  if (value > MAX_VERSION) throw new ValidationError(path, `must be at most ${MAX_VERSION}`);
}
