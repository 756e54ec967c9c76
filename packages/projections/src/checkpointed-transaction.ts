import {
  type Awaitable,
  CheckpointConflictError,
  type SaveCheckpointOptions,
  type TransactionalCheckpoints,
  thenOrNow,
} from '@strata/core';

/**
 * One transaction that applies a step's writes and moves the checkpoint from `expectedPosition` to
 * `end`. The checkpoint row is locked and checked before the writes: a runner that lost the race
 * finds out before it writes (or locks) a read-model row, and it takes its locks in the same order
 * as a realtime projector inside an append (checkpoint, then read model). Rejects with
 * `CheckpointConflictError` when the checkpoint moved.
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
    thenOrNow(transactions.loadCheckpointInTransaction(tx, name), (current) => {
      if ((current ?? null) !== save.expectedPosition) {
        throw new CheckpointConflictError(name, save.expectedPosition, current ?? null);
      }
      return thenOrNow(write(tx), () =>
        transactions.saveCheckpointInTransaction(tx, name, save.end, options),
      );
    }),
  );
}
