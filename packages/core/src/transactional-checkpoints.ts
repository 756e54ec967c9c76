import type { Awaitable } from './awaitable.js';
import type { SaveCheckpointOptions } from './checkpoint-store.js';

/**
 * A store whose database can run a caller's writes and a checkpoint save in one transaction, so a
 * projection's read model and its checkpoint commit together or not at all (exactly-once delivery).
 * `Tx` is the adapter's handle on an open transaction: better-sqlite3's `Database` on SQLite, a
 * `pg` client on PostgreSQL, a mysql2 connection on MySQL. The SQL adapters' `store.checkpoints`
 * implement it.
 *
 * On SQLite every step is synchronous: `work` must not return a Promise (the transaction is then
 * rolled back and `runInTransaction` rejects with `ValidationError`), and the methods below return
 * plain values. On the servers they return promises. Code written with `Awaitable` in mind (see
 * `thenOrNow`) runs on both.
 */
export interface TransactionalCheckpoints<Tx> {
  /**
   * Runs `work` in one new transaction on a connection of the store's database: commits when it
   * returns (or its promise resolves) and resolves with its result; rolls back and rejects with its
   * error when it throws (or rejects). Nothing of a failed `work` stays written.
   */
  runInTransaction<T>(work: (tx: Tx) => Awaitable<T>): Promise<T>;
  /**
   * The checkpoint's newest committed position; `undefined` when absent. Where the engine can, the
   * row stays locked until `tx` ends (as the save that usually follows would lock it), so a racing
   * save waits instead of making that save fail.
   */
  loadCheckpointInTransaction(tx: Tx, name: string): Awaitable<bigint | undefined>;
  /**
   * `saveCheckpoint` with the same guards, inside `tx`: it commits or rolls back with the caller's
   * writes. A refused save (`CheckpointConflictError`, `CheckpointFencedError`) writes nothing; the
   * caller rolls the rest back by throwing it on.
   */
  saveCheckpointInTransaction(
    tx: Tx,
    name: string,
    position: bigint,
    options?: SaveCheckpointOptions,
  ): Awaitable<void>;
}
