import { assertCheckpointPosition, assertName, type CheckpointStore } from '@strata/core';
import { toBigInt } from './mysql-event-row.js';
import type { MysqlStoreContext } from './mysql-store-context.js';

/** Projection checkpoints in the event store's database; get it as `store.checkpoints`. */
export class MysqlCheckpointStore implements CheckpointStore {
  private readonly sql: { load: string; save: string; delete: string };

  /** @internal Created by `MysqlEventStore`. */
  constructor(private readonly context: MysqlStoreContext) {
    const table = context.tables.checkpoints;
    this.sql = {
      // As text: exact whatever the pool's big-number settings.
      load: `SELECT CAST(position AS CHAR) FROM ${table} WHERE name = ?`,
      save: `REPLACE INTO ${table} (name, position, updated_at) VALUES (?, CAST(? AS UNSIGNED), ?)`,
      delete: `DELETE FROM ${table} WHERE name = ?`,
    };
  }

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    const rows = await this.context.select(this.sql.load, [name]);
    const row = rows[0];
    return row === undefined ? undefined : toBigInt(row[0]);
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    assertName(name, 'name');
    assertCheckpointPosition(position);
    await this.context.write(this.sql.save, [name, position.toString(), Date.now()]);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    await this.context.write(this.sql.delete, [name]);
  }
}
