import {
  type AppendTransactionContext,
  type AppendTransactionHooks,
  type Awaitable,
  isPromiseLike,
  type TransactionalCheckpoints,
  thenOrNow,
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
 * before them (`precedingPosition`): it has seen everything earlier. Otherwise it is `behind`
 * (events appended before it was attached, or by a writer without it): the append commits without
 * it, and a `ProjectionRunner` on the same checkpoint catches up; the next append after that finds
 * the checkpoint in place and applies again. Appends that carry none of its event types cost nothing.
 */
export function attachRealtimeProjector<Tx>(options: RealtimeInTransactionOptions<Tx>): RealtimeProjection {
  const { store, checkpoints, projector } = options;
  const tracker = new RealtimeTracker(projector.name, options.onError);
  const types = new Set(projector.eventTypes);
  const wanted = (streamType: string) =>
    projector.streamTypes === undefined || projector.streamTypes.has(streamType);

  const project = ({ tx, events, precedingPosition }: AppendTransactionContext<Tx>): Awaitable<void> => {
    const typed = events.filter((event) => types.has(event.type));
    if (typed.length === 0) return;
    const last = typed.at(-1)!.position;
    return thenOrNow(checkpoints.loadCheckpointInTransaction(tx, projector.name), (checkpoint) =>
      thenOrNow(precedingPosition(projector.eventTypes), (preceding) => {
        if ((checkpoint ?? 0n) !== preceding) {
          tracker.behind(checkpoint);
          return;
        }
        const applying = typed.filter((event) => wanted(event.streamType));
        const applied = applying.length === 0 ? undefined : projector.apply(applying, tx);
        return thenOrNow(applied, () =>
          thenOrNow(
            checkpoints.saveCheckpointInTransaction(tx, projector.name, last, {
              expectedPosition: checkpoint ?? null,
            }),
            () => tracker.applied(last, applying.length),
          ),
        );
      }),
    );
  };

  const remove = store.onAppendTransaction((context) => reportingFailures(() => project(context), tracker));
  return {
    name: projector.name,
    status: () => tracker.status(),
    detach() {
      remove();
      tracker.state = 'detached';
    },
  };
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
