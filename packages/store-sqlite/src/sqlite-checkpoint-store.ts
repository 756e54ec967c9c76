import {
  type Awaitable,
  assertName,
  type CheckpointState,
  type CheckpointStore,
  checkpointAfter,
  checkpointRefusal,
  isPromiseLike,
  type PreparedCheckpointSave,
  prepareSaveCheckpoint,
  type SaveCheckpointOptions,
  type TransactionalCheckpoints,
  ValidationError,
} from '@strata/core';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { toStoreError } from './sqlite-errors.js';
import { SqliteTransactions } from './sqlite-transactions.js';

interface CheckpointStatements {
  load: SqliteStatement;
  insert: SqliteStatement;
  update: SqliteStatement;
  delete: SqliteStatement;
  transactions: SqliteTransactions;
}

/** Carries what a caller's transaction work threw past the driver-error mapping, unchanged. */
class WorkFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Projection checkpoints in the event store's database; get it as `store.checkpoints`. A guarded
 * save reads the checkpoint and writes it in one transaction that holds SQLite's write lock, so no
 * other connection or process can move it in between. As `TransactionalCheckpoints`, it runs a
 * read-model write and a checkpoint save in one synchronous transaction (exactly-once projections).
 */
export class SqliteCheckpointStore implements CheckpointStore, TransactionalCheckpoints<SqliteDatabase> {
  // Per connection: the store's own, and any a caller hands to `saveCheckpointInTransaction`.
  private readonly statements = new WeakMap<SqliteDatabase, CheckpointStatements>();

  /** @internal Created by `SqliteEventStore`. */
  constructor(private readonly connection: SqliteConnection<SqliteDatabase>) {}

  async loadCheckpoint(name: string): Promise<bigint | undefined> {
    return (await this.loadCheckpointState(name))?.position;
  }

  async loadCheckpointState(name: string): Promise<CheckpointState | undefined> {
    assertName(name, 'name');
    const db = this.connection.database();
    return this.run(db, (s) => readState(s, name));
  }

  async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions): Promise<void> {
    const save = prepareSaveCheckpoint(name, position, options);
    const db = this.connection.database();
    this.run(db, (s) => s.transactions.write(() => write(s, save)));
  }

  /**
   * The same guarded save, inside a transaction the caller has open on `db` (for example an
   * `onAppend` hook's `db`, or a read-model update of its own): the checkpoint then commits or rolls
   * back with the caller's writes. `db` must be a connection to this store's database, and is
   * used synchronously, as SQLite transactions are. Throws like `saveCheckpoint`; a refused save
   * writes nothing, and the caller decides whether to roll the rest back.
   */
  saveCheckpointInTransaction(
    db: SqliteDatabase,
    name: string,
    position: bigint,
    options?: SaveCheckpointOptions,
  ): void {
    const save = prepareSaveCheckpoint(name, position, options);
    if (typeof db !== 'object' || db === null || !db.inTransaction) {
      throw new ValidationError('db', 'must be a connection with a transaction open');
    }
    this.run(db, (s) => write(s, save));
  }

  /**
   * Runs `work` in one write transaction (`BEGIN IMMEDIATE`) on the store's connection, or in a
   * savepoint of the caller's open one. `work` must be synchronous: a returned Promise rolls the
   * transaction back and rejects with `ValidationError`. What `work` throws rolls back and rejects
   * unchanged; a busy or broken database rejects with `StoreUnavailableError`.
   */
  async runInTransaction<T>(work: (tx: SqliteDatabase) => Awaitable<T>): Promise<T> {
    if (typeof work !== 'function') throw new ValidationError('work', 'must be a function');
    const db = this.connection.database();
    try {
      return this.run(db, (s) =>
        s.transactions.write(() => {
          let result: Awaitable<T>;
          try {
            result = work(db);
          } catch (error) {
            throw new WorkFailure(error);
          }
          if (isPromiseLike(result)) {
            // What the promise does later is outside the transaction; keep its rejection quiet.
            result.then(undefined, () => {});
            throw new WorkFailure(
              new ValidationError(
                'work',
                'returned a Promise. SQLite transactions are synchronous (better-sqlite3 cannot keep one ' +
                  'open across an await): write the read model with synchronous calls. The transaction was rolled back',
              ),
            );
          }
          return result as T;
        }),
      );
    } catch (error) {
      if (error instanceof WorkFailure) throw error.error;
      throw error;
    }
  }

  /** The checkpoint's position as the open transaction on `db` sees it; synchronous. */
  loadCheckpointInTransaction(db: SqliteDatabase, name: string): bigint | undefined {
    assertName(name, 'name');
    if (typeof db !== 'object' || db === null || !db.inTransaction) {
      throw new ValidationError('db', 'must be a connection with a transaction open');
    }
    return this.run(db, (s) => readState(s, name))?.position;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    assertName(name, 'name');
    const db = this.connection.database();
    this.run(db, (s) => s.delete.run(name));
  }

  private run<T>(db: SqliteDatabase, work: (statements: CheckpointStatements) => T): T {
    try {
      let statements = this.statements.get(db);
      if (statements === undefined) {
        statements = prepare(db, this.connection.tables.checkpoints);
        this.statements.set(db, statements);
      }
      return work(statements);
    } catch (error) {
      if (error instanceof WorkFailure) throw error;
      throw toStoreError(error, db);
    }
  }
}

function readState(statements: CheckpointStatements, name: string): CheckpointState | undefined {
  const row = statements.load.get(name) as [bigint, bigint | null] | undefined;
  return row === undefined ? undefined : { position: row[0], fence: row[1] };
}

/** Runs inside a write transaction: the read and the write see the same checkpoint. */
function write(statements: CheckpointStatements, save: PreparedCheckpointSave): void {
  const current = readState(statements, save.name);
  const refusal = checkpointRefusal(save, current);
  if (refusal !== undefined) throw refusal;
  const { position, fence } = checkpointAfter(save, current);
  const statement = current === undefined ? statements.insert : statements.update;
  statement.run(position, fence, Date.now(), save.name);
}

function prepare(db: SqliteDatabase, table: string): CheckpointStatements {
  return {
    // Positions and fences are bigint in the contract: read them exactly.
    load: db.prepare(`SELECT position, fence FROM ${table} WHERE name = ?`).raw(true).safeIntegers(true),
    insert: db.prepare(`INSERT INTO ${table} (position, fence, updated_at, name) VALUES (?, ?, ?, ?)`),
    update: db.prepare(`UPDATE ${table} SET position = ?, fence = ?, updated_at = ? WHERE name = ?`),
    delete: db.prepare(`DELETE FROM ${table} WHERE name = ?`),
    transactions: new SqliteTransactions(db),
  };
}
