import type { Awaitable } from './awaitable.js';
import type { RecordedEvent } from './event.js';

/** What an append-transaction hook sees: the append's open transaction and its events. */
export interface AppendTransactionContext<Tx> {
  /** The append's transaction: what the hook writes through it commits or rolls back with the events. */
  readonly tx: Tx;
  /**
   * The events of one append, with their final versions and positions: the same array the append
   * returns as `AppendResult.events`, so leave it unchanged.
   */
  readonly events: readonly RecordedEvent[];
  /**
   * The position of the last event committed before this append's first one (`0n` for none); with
   * `types`, the last one of those event types. The stores with this capability hand positions out
   * in commit order under a lock that the append holds until it commits, so no event can still
   * commit below this append: a hook whose checkpoint is here knows it has seen every event (of
   * its types) before these. One indexed lookup per type.
   */
  precedingPosition(types?: readonly string[]): Awaitable<bigint>;
  /**
   * Optional, for stores where a statement costs a round trip (PostgreSQL, MySQL): moves the
   * checkpoint `name` to `position` in one statement if it stands at `precedingPosition(types)`
   * (a checkpoint at 0 counts as there when no event of `types` precedes). Resolves `true` when it
   * moved; `false` when it wrote nothing (absent, elsewhere), and the caller then finds out why with
   * `precedingPosition` and a guarded save. No fence is checked or changed, as with a save that
   * passes none. What `saveCheckpointInTransaction` with `expectedPosition: preceding` does, with
   * the lookup and the save in one round trip.
   */
  advanceCheckpointFromPreceding?(
    name: string,
    position: bigint,
    types: readonly string[],
  ): Awaitable<boolean>;
  /**
   * What became of the hook's `advanceCheckpoint` request (see `AppendTransactionHookOptions`) for
   * this append: `true` when the store moved the checkpoint inside its own append statement,
   * `false` when it wrote nothing there (the checkpoint is absent or elsewhere, told apart as after
   * a `false` from `advanceCheckpointFromPreceding`), `undefined` when the store did not try: no
   * request, none of its types in this append, or a store or path that does not fold it (SQLite,
   * where a statement costs no round trip; a group of several appends on MySQL).
   */
  readonly checkpointAdvanced?: boolean;
}

/** A checkpoint a hook asks the store to move inside the append itself (see `AppendTransactionHookOptions`). */
export interface CheckpointAdvanceRequest {
  /** The checkpoint's name. */
  readonly name: string;
  /** The event types it follows: the append moves it to the last of them in the append. */
  readonly types: readonly string[];
}

export interface AppendTransactionHookOptions {
  /**
   * Asks the store to do `advanceCheckpointFromPreceding(name, last, types)` inside its own append
   * statement, for every append that has events of `types` (`last`: the position of the last of
   * them), after the position lock is taken, so that `precedingPosition` is as exact as there. The
   * hook then finds the result in `context.checkpointAdvanced`. Why: on PostgreSQL and MySQL every
   * statement a hook sends costs a round trip, and a realtime projector's bookkeeping is one
   * statement per append; folded into the append's own call it costs none. Stores that do not fold
   * it ignore the option (`checkpointAdvanced` stays `undefined`), so a hook must keep its own path.
   */
  readonly advanceCheckpoint?: CheckpointAdvanceRequest;
}

/**
 * Runs inside the append's transaction, after the events are written and before the commit. A
 * hook that throws (or rejects) rolls the whole append back, and the append rejects with the
 * hook's error. On SQLite it must be synchronous: a returned Promise rolls the append back too.
 */
export type AppendTransactionHook<Tx> = (context: AppendTransactionContext<Tx>) => Awaitable<void>;

/**
 * A store that runs hooks inside every append's transaction, with the same `Tx` handle as its
 * `TransactionalCheckpoints`: the place for realtime projections whose read model lives in the
 * event store's own database. The SQLite, PostgreSQL and MySQL stores implement it beside their
 * adapter-specific `onAppend`. Idempotent retries write nothing and run no hook.
 */
export interface AppendTransactionHooks<Tx> {
  /**
   * Registers `hook` for every later append of this store instance; returns a function that removes
   * it. `options.advanceCheckpoint` may fold a checkpoint move into the append (see its doc).
   */
  onAppendTransaction(hook: AppendTransactionHook<Tx>, options?: AppendTransactionHookOptions): () => void;
}
