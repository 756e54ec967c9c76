import {
  type Awaitable,
  type DomainEvent,
  type EventStore,
  type RecordedEvent,
  thenOrNow,
} from '@strata/core';
import {
  attachRealtimeProjector,
  defineProjector,
  ProjectionRunner,
  type RealtimeProjection,
} from '@strata/projections';
import {
  APPEND_TYPES,
  PROJECTED_TYPE,
  type ProjectionReadModel,
  type ReadModelTable,
} from './projection-read-model.js';

/**
 * What each projection block does over the whole log of projected events: `readAll` pages through
 * it raw (the baseline); `floor` pages through it the same way and upserts each page's rows in one
 * multi-row statement committed on its own, without a runner (what any projector writing that read
 * model must do, the async cases' floor); `single` runs a projector with one handler call and one upsert per event;
 * `batched` one with `handleBatch` and a multi-row upsert per batch; `exactly-once` the same batched
 * projector with the upsert and the checkpoint save in one transaction (the runner's `transactions`).
 */
export const PROJECTION_CASES = ['readAll', 'floor', 'single', 'batched', 'exactly-once'] as const;
export type ProjectionCase = (typeof PROJECTION_CASES)[number];

/**
 * Single-event appends: without a projector (the baseline); with a bare append-transaction hook
 * that upserts one row; with a realtime projector (`attachRealtimeProjector`) that upserts one row
 * and moves its checkpoint in the append's transaction.
 */
export const APPEND_CASES = ['plain', 'hook', 'realtime'] as const;
export type AppendCase = (typeof APPEND_CASES)[number];

export const CASE_LABELS: Readonly<Record<ProjectionCase | AppendCase, string>> = {
  readAll: 'raw readAll (baseline)',
  floor: 'floor: readAll + one upsert per page',
  single: 'async, one upsert per event',
  batched: 'batched, handleBatch multi-row upsert',
  'exactly-once': 'batched, exactly once (one transaction)',
  plain: 'append, no projector (baseline)',
  hook: 'append + bare hook writing one row',
  realtime: 'append + realtime projector, one row',
};

type AsyncCase = Exclude<ProjectionCase, 'readAll' | 'floor'>;

/** What a block needs of a runner, whatever its transaction type. */
export interface CatchUpRunner {
  catchUp(): Promise<number>;
  status(): { name: string };
}

/** A runner per async case, each with a checkpoint and a read-model table of its own. */
export function projectionRunners(
  store: EventStore,
  readModel: ProjectionReadModel<unknown>,
  batchSize: number,
): Record<AsyncCase, CatchUpRunner> {
  const { checkpoints } = readModel;
  const single = defineProjector({
    name: 'bench-single',
    handlers: { [PROJECTED_TYPE]: (_data: unknown, event) => readModel.upsertOne('single', event) },
  });
  const batched = defineProjector({
    name: 'bench-batched',
    eventTypes: [PROJECTED_TYPE],
    handleBatch: (events) => readModel.upsertMany('batched', events),
  });
  const exactlyOnce = defineProjector<DomainEvent, unknown>({
    name: 'bench-exactly-once',
    eventTypes: [PROJECTED_TYPE],
    handleBatch: (events, tx) => readModel.upsertManyIn(tx, 'exactly_once', events),
  });
  return {
    single: new ProjectionRunner({ store, checkpoints, projector: single, batchSize }),
    batched: new ProjectionRunner({ store, checkpoints, projector: batched, batchSize }),
    'exactly-once': new ProjectionRunner<unknown>({
      store,
      checkpoints,
      transactions: checkpoints,
      projector: exactlyOnce,
      batchSize,
    }),
  };
}

/** Upserts each appended event's row through the append's transaction, in order (synchronously on SQLite). */
function upsertEach(
  readModel: ProjectionReadModel<unknown>,
  table: ReadModelTable,
  tx: unknown,
  events: readonly RecordedEvent[],
  from = 0,
): Awaitable<void> {
  if (from >= events.length) return;
  return thenOrNow(readModel.upsertOneIn(tx, table, events[from]!), () =>
    upsertEach(readModel, table, tx, events, from + 1),
  );
}

/** Registers the append case's writer; returns what removes it. The plain case has none. */
export function attachAppendCase(
  appendCase: AppendCase,
  readModel: ProjectionReadModel<unknown>,
): { detach(): void; realtime?: RealtimeProjection } {
  switch (appendCase) {
    case 'plain':
      return { detach: () => {} };
    case 'hook': {
      const remove = readModel.hooks.onAppendTransaction(({ tx, events }) =>
        upsertEach(readModel, 'hook', tx, events),
      );
      return { detach: remove };
    }
    case 'realtime': {
      const projector = defineProjector<DomainEvent, unknown>({
        name: 'bench-realtime',
        handlers: {
          [APPEND_TYPES.realtime]: (_data: unknown, event, tx) =>
            readModel.upsertOneIn(tx, 'realtime', event),
        },
      });
      const realtime = attachRealtimeProjector({
        store: readModel.hooks,
        checkpoints: readModel.checkpoints,
        projector,
      });
      return { detach: () => realtime.detach(), realtime };
    }
  }
}
