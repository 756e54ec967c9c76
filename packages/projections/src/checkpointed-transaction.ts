import {
  type Awaitable,
  type SaveCheckpointOptions,
  type TransactionalCheckpoints,
  thenOrNow,
} from '@strata/core';

/**
 * One transaction that applies a step's writes and moves the checkpoint from `expectedPosition` to
 * `end`. The guarded save runs first: its compare-and-set is the check and it locks the checkpoint
 * row, in one statement where a load, a check and a save took three. A runner that lost the race
 * finds out before it writes (or locks) a read-model row, and it takes its locks in the same order
 * as a realtime projector inside an append (checkpoint, then read model). The save is only visible
 * once the writes commit with it: a failing write rolls it back. Rejects with
 * `CheckpointConflictError` (from the save) when the checkpoint moved.
 */
export function commitWithCheckpoint<Tx>(
  transactions: TransactionalCheckpoints<Tx>,
  name: string,
  save: { end: bigint; expectedPosition: bigint | null; fence?: bigint },
  write: (tx: Tx) => Awaitable<void>,
): Promise<void> {
  const options: SaveCheckpointOptions =
    save.fence === undefined
      ? { expectedPosition: save.expectedPosition }
      : { expectedPosition: save.expectedPosition, fence: save.fence };
  return transactions.runInTransaction((tx) =>
    thenOrNow(transactions.saveCheckpointInTransaction(tx, name, save.end, options), () => write(tx)),
  );
}
