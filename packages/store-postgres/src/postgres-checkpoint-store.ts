import { assertName, type CheckpointStore, ValidationError } from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import { assertStorableText } from './postgres-text-check.js';

const MAX_POSITION = 2n ** 63n - 1n;

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
    assertCheckpointName(name);
    const { rows } = await this.connection.query(this.load.query([name]));
    const row = rows[0] as [string] | undefined;
    return row === undefined ? undefined : BigInt(row[0]);
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertCheckpointName(name);
    if (typeof position !== 'bigint' || position < 0n || position > MAX_POSITION) {
      throw new ValidationError('position', 'must be a bigint from 0 to 2^63 - 1');
    }
    await this.connection.query(this.save.query([name, position.toString(), Date.now()]));
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertCheckpointName(name);
    await this.connection.query(this.remove.query([name]));
  }
}

function assertCheckpointName(name: string): void {
  assertName(name, 'name');
  assertStorableText(name, 'name');
}
