import {
  assertName,
  type CheckpointState,
  type CheckpointStore,
  checkpointRefusal,
  type PreparedCheckpointSave,
  prepareSaveCheckpoint,
  type SaveCheckpointOptions,
  type TransactionalCheckpoints,
  ValidationError,
} from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { toStoreError } from './postgres-errors.js';
import type { PostgresClient, PostgresQueryConfig, PostgresQueryResult } from './postgres-pool.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import { runPostgresTransaction } from './postgres-transaction.js';

type Run = (config: PostgresQueryConfig) => Promise<PostgresQueryResult>;

/**
 * Projection checkpoints in the event store's database. Get it as `store.checkpoints`; it shares
 * the store's pool, table prefix and lifetime. A guarded save is a conditional UPDATE or INSERT:
 * the row lock makes the check and the write one step, whichever connection races it. To move a
 * checkpoint with a read-model write, use `saveCheckpointInTransaction` in that write's transaction
 * (an `onAppend` hook's `client`, or one of your own). As `TransactionalCheckpoints`, it runs a
 * read-model write and a checkpoint save in one transaction of its own (exactly-once projections).
 */
export class PostgresCheckpointStore implements CheckpointStore, TransactionalCheckpoints<PostgresClient> {
  private readonly load: PreparedStatement;
  private readonly lockedLoad: PreparedStatement;
  private readonly update: PreparedStatement;
  private readonly insert: PreparedStatement;
  private readonly remove: PreparedStatement;

  constructor(private readonly connection: PostgresConnection) {
    const { checkpoints } = connection.tables;
    this.load = preparedStatement(`SELECT position, fence FROM ${checkpoints} WHERE name = $1`);
    this.lockedLoad = preparedStatement(
      `SELECT position, fence FROM ${checkpoints} WHERE name = $1 FOR UPDATE`,
    );
    // $5 NULL: any position. The fence may only stay or rise.
    this.update = preparedStatement(
      `UPDATE ${checkpoints} SET position = $2, fence = COALESCE($3, fence), updated_at = $4
       WHERE name = $1 AND ($5::bigint IS NULL OR position = $5::bigint)
         AND ($3::bigint IS NULL OR fence IS NULL OR fence <= $3::bigint)`,
    );
    // A second creator waits on the first one's unique index entry, then does nothing.
    this.insert = preparedStatement(
      `INSERT INTO ${checkpoints} (name, position, fence, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING`,
    );
    this.remove = preparedStatement(`DELETE FROM ${checkpoints} WHERE name = $1`);
  }

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    return (await this.loadCheckpointState(name))?.position;
  }

  async loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    assertName(name, 'name');
    return stateOf(await this.connection.query(this.load.query([name])));
  }

  async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    await this.guardedSave((config) => this.connection.query(config), save);
  }

  /**
   * The same guarded save on `client`, inside the transaction the caller has open on it (an
   * `onAppend` hook's `client`, or a client of your own over the same tables): the checkpoint
   * commits or rolls back with the caller's writes. Under READ COMMITTED (PostgreSQL's default) a
   * racing save waits for this transaction and then re-checks; under REPEATABLE READ or
   * SERIALIZABLE it fails with a serialization error (a `StoreUnavailableError`), to be retried as
   * a whole. A refused save writes nothing; the caller decides whether to roll the rest back.
   */
  async saveCheckpointInTransaction(
    client: PostgresClient,
    name: string,
    position: bigint,
    options?: SaveCheckpointOptions,
  ): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    this.connection.assertOpen();
    await this.guardedSave(async (config) => {
      try {
        return await client.query(config);
      } catch (error) {
        throw toStoreError(error);
      }
    }, save);
  }

  /**
   * Runs `work` in one READ COMMITTED transaction on a connection of the store's pool: commits when
   * it resolves, rolls back when it rejects and rejects with its error unchanged. Pass the client it
   * gets to `saveCheckpointInTransaction` to move a checkpoint with the caller's writes.
   */
  async runInTransaction<T>(work: (client: PostgresClient) => T | Promise<T>): Promise<T> {
    if (typeof work !== 'function') throw new ValidationError('work', 'must be a function');
    return runPostgresTransaction(this.connection, work);
  }

  /** The checkpoint's position as the transaction on `client` sees it (its latest committed state). */
  async loadCheckpointInTransaction(client: PostgresClient, name: string): Promise<bigint | undefined> {
    assertName(name, 'name');
    this.connection.assertOpen();
    try {
      return stateOf(await client.query(this.lockedLoad.query([name])))?.position;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    await this.connection.query(this.remove.query([name]));
  }

  /**
   * Writes if the guards hold, else reads the row to say why. A pass that neither writes nor finds
   * a refusal saw the row change between its statements, which takes another save or a delete
   * that succeeded: every extra pass means another caller made progress.
   */
  private async guardedSave(run: Run, save: PreparedCheckpointSave): Promise<void> {
    const position = save.position.toString();
    const fence = save.fence?.toString() ?? null;
    for (;;) {
      if (save.expectedPosition !== null) {
        const expected = save.expectedPosition?.toString() ?? null;
        const updated = await run(this.update.query([save.name, position, fence, Date.now(), expected]));
        if (updated.rowCount === 1) return;
      }
      if (save.expectedPosition === undefined || save.expectedPosition === null) {
        const inserted = await run(this.insert.query([save.name, position, fence, Date.now()]));
        if (inserted.rowCount === 1) return;
      }
      const refusal = checkpointRefusal(save, stateOf(await run(this.load.query([save.name]))));
      if (refusal !== undefined) throw refusal;
    }
  }
}

function stateOf({ rows }: PostgresQueryResult): CheckpointState | undefined {
  const row = rows[0] as [string, string | null] | undefined;
  if (row === undefined) return undefined;
  return { position: BigInt(row[0]), fence: row[1] === null ? null : BigInt(row[1]) };
}
