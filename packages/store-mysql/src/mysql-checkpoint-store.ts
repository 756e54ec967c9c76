import {
  assertName,
  type CheckpointState,
  type CheckpointStore,
  checkpointAfter,
  checkpointRefusal,
  type PreparedCheckpointSave,
  prepareSaveCheckpoint,
  type SaveCheckpointOptions,
  type TransactionalCheckpoints,
  ValidationError,
} from '@strata/core';
import type { MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { isDuplicateKey, toStoreError } from './mysql-errors.js';
import { toBigInt } from './mysql-event-row.js';
import type { MysqlStoreContext } from './mysql-store-context.js';
import { runMysqlTransaction } from './mysql-transaction.js';

interface CheckpointSql {
  load: string;
  lockedLoad: string;
  update: string;
  insert: string;
  delete: string;
}

/**
 * Projection checkpoints in the event store's database; get it as `store.checkpoints`. A guarded
 * save is a conditional UPDATE or INSERT: InnoDB's row lock makes the check and the write one step,
 * whichever connection races it. To move a checkpoint with a read-model write, use
 * `saveCheckpointInTransaction` in that write's transaction (an `onAppend` hook's `connection`, or
 * one of your own). As `TransactionalCheckpoints`, it runs a read-model write and a checkpoint save
 * in one transaction of its own (exactly-once projections).
 */
export class MysqlCheckpointStore implements CheckpointStore, TransactionalCheckpoints<MysqlQueryable> {
  private readonly sql: CheckpointSql;

  /** @internal Created by `MysqlEventStore`. */
  constructor(private readonly context: MysqlStoreContext) {
    const table = context.tables.checkpoints;
    // Positions and fences as text: exact whatever the pool's big-number settings.
    const columns = 'CAST(position AS CHAR), CAST(fence AS CHAR)';
    this.sql = {
      load: `SELECT ${columns} FROM ${table} WHERE name = ?`,
      // A locking read sees the newest row even inside a caller's REPEATABLE READ transaction.
      lockedLoad: `SELECT ${columns} FROM ${table} WHERE name = ? FOR UPDATE`,
      // Values: position, fence, updated_at, name, expected (NULL: any) twice, fence twice.
      update: `UPDATE ${table}
        SET position = CAST(? AS UNSIGNED), fence = COALESCE(CAST(? AS UNSIGNED), fence), updated_at = ?
        WHERE name = ? AND (? IS NULL OR position = CAST(? AS UNSIGNED))
          AND (? IS NULL OR fence IS NULL OR fence <= CAST(? AS UNSIGNED))`,
      insert: `INSERT INTO ${table} (position, fence, updated_at, name)
        VALUES (CAST(? AS UNSIGNED), CAST(? AS UNSIGNED), ?, ?)`,
      delete: `DELETE FROM ${table} WHERE name = ?`,
    };
  }

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    return (await this.loadCheckpointState(name))?.position;
  }

  async loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    assertName(name, 'name');
    return stateOf(await this.context.select(this.sql.load, [name]));
  }

  async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    await this.context.ready();
    await this.guardedSave(this.context.db, save);
  }

  /**
   * The same guarded save on `connection`, inside the transaction the caller has open on it (an
   * `onAppend` hook's `connection`, or a connection of your own to the same tables): the checkpoint
   * commits or rolls back with the caller's writes, and its row stays locked until then, so a
   * racing save waits and re-checks. A refused save writes nothing; the caller decides whether to
   * roll the rest back. Do not use the store's pool here: each statement would take any connection.
   */
  async saveCheckpointInTransaction(
    connection: MysqlQueryable,
    name: string,
    position: bigint,
    options?: SaveCheckpointOptions,
  ): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    await this.context.ready();
    await this.guardedSave(connection, save);
  }

  /**
   * Runs `work` in one READ COMMITTED transaction on a connection of the store's pool: commits when
   * it resolves, rolls back when it rejects and rejects with its error unchanged. Pass the
   * connection it gets to `saveCheckpointInTransaction` to move a checkpoint with the caller's writes.
   */
  async runInTransaction<T>(work: (connection: MysqlQueryable) => T | Promise<T>): Promise<T> {
    if (typeof work !== 'function') throw new ValidationError('work', 'must be a function');
    await this.context.ready();
    return runMysqlTransaction(this.context.readCommitted, this.context.options.queryTimeoutMs, work);
  }

  /**
   * The checkpoint's position, read with a locking read on `connection`: the newest committed row
   * even under REPEATABLE READ (an append's transaction), and locked until the transaction ends,
   * as the save that usually follows would lock it anyway.
   */
  async loadCheckpointInTransaction(connection: MysqlQueryable, name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    await this.context.ready();
    try {
      const [rows] = await connection.execute(
        { sql: this.sql.lockedLoad, rowsAsArray: true, timeout: this.context.options.queryTimeoutMs },
        [name],
      );
      return stateOf(rows as unknown[][])?.position;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    await this.context.write(this.sql.delete, [name]);
  }

  /**
   * Writes if the guards hold, else reads the row to say why. A pass that neither writes nor finds
   * a refusal saw the row change between its statements, which takes another save or a delete
   * that succeeded: every extra pass means another caller made progress.
   */
  private async guardedSave(db: MysqlQueryable, save: PreparedCheckpointSave): Promise<void> {
    const position = save.position.toString();
    const fence = save.fence?.toString() ?? null;
    const timeout = this.context.options.queryTimeoutMs;
    const run = async (sql: string, values: MysqlValue[], rowsAsArray = false): Promise<unknown> => {
      const [result] = await db.execute({ sql, rowsAsArray, timeout }, values);
      return result;
    };
    try {
      for (;;) {
        if (save.expectedPosition !== null) {
          const expected = save.expectedPosition?.toString() ?? null;
          const values = [position, fence, Date.now(), save.name, expected, expected, fence, fence];
          if (affectedRows(await run(this.sql.update, values)) > 0) return;
        }
        if (save.expectedPosition === undefined || save.expectedPosition === null) {
          if (await this.insert(run, [position, fence, Date.now(), save.name])) return;
        }
        const current = stateOf((await run(this.sql.lockedLoad, [save.name], true)) as unknown[][]);
        const refusal = checkpointRefusal(save, current);
        if (refusal !== undefined) throw refusal;
        // Without CLIENT_FOUND_ROWS, MySQL counts changed rows, not matched ones: an UPDATE that
        // wrote what was already there (same position and fence, same millisecond) reports 0.
        if (current !== undefined && sameState(current, checkpointAfter(save, current))) return;
      }
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Whether the row was created; false when another saver created it first. */
  private async insert(
    run: (sql: string, values: MysqlValue[]) => Promise<unknown>,
    values: MysqlValue[],
  ): Promise<boolean> {
    try {
      await run(this.sql.insert, values);
      return true;
    } catch (error) {
      // A duplicate key rolls back only this statement, also inside a caller's transaction.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

function affectedRows(header: unknown): number {
  return (header as { affectedRows: number }).affectedRows;
}

function stateOf(rows: unknown[][]): CheckpointState | undefined {
  const row = rows[0];
  if (row === undefined) return undefined;
  return { position: toBigInt(row[0]), fence: row[1] === null ? null : toBigInt(row[1]) };
}

function sameState(a: CheckpointState, b: CheckpointState): boolean {
  return a.position === b.position && a.fence === b.fence;
}
