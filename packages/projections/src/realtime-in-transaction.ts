import {
  type AppendTransactionContext,
  type AppendTransactionHooks,
  type Awaitable,
  CheckpointConflictError,
  isPromiseLike,
  type TransactionalCheckpoints,
  thenOrNow,
  ValidationError,
} from '@strata/core';
import type { Projector } from './projector.js';
import { type RealtimeErrorListener, type RealtimeProjection, RealtimeTracker } from './realtime-status.js';

export interface RealtimeInTransactionOptions<Tx> {
  /** A SQL store (SQLite, PostgreSQL, MySQL) whose database holds the read model. */
  store: AppendTransactionHooks<Tx>;
  /** The same store's `store.checkpoints`: the checkpoint moves in the append's transaction. */
  checkpoints: TransactionalCheckpoints<Tx>;
  /** Its handlers write the read model through the `tx` they get: the append's transaction. */
  projector: Projector<Tx>;
  onError?: RealtimeErrorListener;
}

/**
 * Runs the projector inside every append's transaction of `store`: the events, the read-model
 * writes and the checkpoint commit together or not at all. A handler that throws rolls the append
 * back, and the append rejects with the handler's error. On SQLite the handlers must be synchronous.
 *
 * The projector applies an append's events only when its checkpoint is the last event of its types
 * before them (`precedingPosition`), which the guarded save that moves it checks: it has seen
 * everything earlier. Otherwise it is `behind` (events appended before it was attached, or by a
 * writer without it): the append commits without it, and a `ProjectionRunner` on the same
 * checkpoint catches up; the next append after that finds the checkpoint in place and applies again.
 * Appends that carry none of its event types run no query of its own.
 */
export function attachRealtimeProjector<Tx>(options: RealtimeInTransactionOptions<Tx>): RealtimeProjection {
  const { store, checkpoints, projector } = options;
  const own = (store as { checkpoints?: unknown }).checkpoints;
  if (own !== undefined && own !== checkpoints) {
    throw new ValidationError(
      'checkpoints',
      "must be the store's own store.checkpoints: the checkpoint moves in the append's transaction",
    );
  }
  const tracker = new RealtimeTracker(projector.name, options.onError);
  const types = new Set(projector.eventTypes);
  const wanted = (streamType: string) =>
    projector.streamTypes === undefined || projector.streamTypes.has(streamType);

  /**
   * Moves the checkpoint from `preceding` to `last`, or says (false, nothing written) that it is
   * elsewhere. The guarded save is the check, in one statement, and it locks the checkpoint before
   * any read-model row is written, the order an exactly-once runner takes them in too.
   */
  const claim = (tx: Tx, preceding: bigint, last: bigint): Awaitable<boolean> => {
    const attempt = (expectedPosition: bigint | null): Awaitable<boolean> =>
      trying(
        () => checkpoints.saveCheckpointInTransaction(tx, projector.name, last, { expectedPosition }),
        (error) => {
          if (!CheckpointConflictError.isInstance(error)) throw error;
          // No event of its types before these: the checkpoint is absent, or at 0 after a reset.
          if (expectedPosition === null && error.actualPosition === 0n) return attempt(0n);
          tracker.behind(error.actualPosition ?? undefined);
          return false;
        },
      );
    return attempt(preceding === 0n ? null : preceding);
  };

  /**
   * Claimed already when the store moved the checkpoint inside its append call (the checkpoint in
   * place, the usual case); else claims in one statement where the store offers it, unless the
   * append call found that it would write nothing; when that wrote nothing, looks up the preceding
   * position and claims from it, which tells an absent checkpoint (created here) from one
   * elsewhere (behind).
   */
  const claimFor = (context: AppendTransactionContext<Tx>, last: bigint): Awaitable<boolean> => {
    if (context.checkpointAdvanced === true) return true;
    const claimFromPreceding = () =>
      thenOrNow(context.precedingPosition(projector.eventTypes), (preceding) =>
        claim(context.tx, preceding, last),
      );
    if (context.checkpointAdvanced === false || context.advanceCheckpointFromPreceding === undefined) {
      return claimFromPreceding();
    }
    return thenOrNow(
      context.advanceCheckpointFromPreceding(projector.name, last, projector.eventTypes),
      (moved) => moved || claimFromPreceding(),
    );
  };

  const project = (context: AppendTransactionContext<Tx>): Awaitable<void> => {
    const typed = context.events.filter((event) => types.has(event.type));
    if (typed.length === 0) return;
    const last = typed.at(-1)!.position;
    return thenOrNow(claimFor(context, last), (claimed) => {
      if (!claimed) return;
      const applying = typed.filter((event) => wanted(event.streamType));
      const applied = applying.length === 0 ? undefined : projector.apply(applying, context.tx);
      return thenOrNow(applied, () => tracker.applied(last, applying.length));
    });
  };

  // The store may fold the usual claim into its append call: a round trip fewer per append.
  const remove = store.onAppendTransaction((context) => reportingFailures(() => project(context), tracker), {
    advanceCheckpoint: { name: projector.name, types: projector.eventTypes },
  });
  return {
    name: projector.name,
    status: () => tracker.status(),
    detach() {
      remove();
      tracker.state = 'detached';
    },
  };
}

/** `true` once `work` has succeeded, or what `recover` makes of its failure; synchronous while both are. */
function trying(
  work: () => Awaitable<void>,
  recover: (error: unknown) => Awaitable<boolean>,
): Awaitable<boolean> {
  let result: Awaitable<void>;
  try {
    result = work();
  } catch (error) {
    return recover(error);
  }
  return isPromiseLike(result) ? Promise.resolve(result).then(() => true, recover) : true;
}

/** Reports what `work` throws or rejects with, then lets it roll the append back unchanged. */
function reportingFailures(work: () => Awaitable<void>, tracker: RealtimeTracker): Awaitable<void> {
  let result: Awaitable<void>;
  try {
    result = work();
  } catch (error) {
    tracker.failed(error);
    throw error;
  }
  if (!isPromiseLike(result)) return result;
  return Promise.resolve(result).catch((error: unknown) => {
    tracker.failed(error);
    throw error;
  });
}
