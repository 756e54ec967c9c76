import { assertCheckpointPosition, assertName, type CheckpointStore } from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';

/**
 * Projection checkpoints in the event store's database. Get it as `store.checkpoints`; it shares
 * the store's pool, table prefix and lifetime. To move a checkpoint atomically with a read-model
 * write, write both from an `onAppend` hook or in one transaction of your own on the same tables.
 */
export class PostgresCheckpointStore implements CheckpointStore {
  private readonly load: PreparedStatement;
  private readonly save: PreparedStatement;
  private readonly remove: PreparedStatement;

  constructor(private readonly connection: PostgresConnection) {
    const { checkpoints } = connection.tables;
    this.load = preparedStatement(`SELECT position FROM ${checkpoints} WHERE name = $1`);
    this.save = preparedStatement(
      `INSERT INTO ${checkpoints} (name, position, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
    );
    this.remove = preparedStatement(`DELETE FROM ${checkpoints} WHERE name = $1`);
  }

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    const { rows } = await this.connection.query(this.load.query([name]));
    const row = rows[0] as [string] | undefined;
    return row === undefined ? undefined : BigInt(row[0]);
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertName(name, 'name');
    assertCheckpointPosition(position);
    await this.connection.query(this.save.query([name, position.toString(), Date.now()]));
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    await this.connection.query(this.remove.query([name]));
  }
}
