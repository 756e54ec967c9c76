import type { CheckpointStore, EventStore } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { PROJECTED_TYPE, type ProjectionReadModel } from './projection-read-model.js';

/**
 * What each projection block does over the whole log of projected events: `readAll` pages through
 * it raw (the baseline), `single` runs a projector with one handler call and one upsert per event,
 * `batched` one with `handleBatch` and a multi-row upsert per batch.
 */
export const PROJECTION_CASES = ['readAll', 'single', 'batched'] as const;
export type ProjectionCase = (typeof PROJECTION_CASES)[number];

/** Single-event appends without a realtime projector, and with one that writes one row. */
export const APPEND_CASES = ['plain', 'realtime'] as const;
export type AppendCase = (typeof APPEND_CASES)[number];

export const CASE_LABELS: Readonly<Record<ProjectionCase | AppendCase, string>> = {
  readAll: 'raw readAll (baseline)',
  single: 'async, one upsert per event',
  batched: 'batched, handleBatch multi-row upsert',
  plain: 'append, no projector (baseline)',
  realtime: 'append + realtime row (onAppend hook)',
};

/** A runner per projected case, each with a checkpoint and a read-model table of its own. */
export function projectionRunners(
  store: EventStore,
  checkpoints: CheckpointStore,
  readModel: ProjectionReadModel,
  batchSize: number,
): Record<Exclude<ProjectionCase, 'readAll'>, ProjectionRunner> {
  const single = defineProjector({
    name: 'bench-single',
    handlers: { [PROJECTED_TYPE]: (_data: unknown, event) => readModel.upsertOne('single', event) },
  });
  const batched = defineProjector({
    name: 'bench-batched',
    eventTypes: [PROJECTED_TYPE],
    handleBatch: (events) => readModel.upsertMany('batched', events),
  });
  return {
    single: new ProjectionRunner({ store, checkpoints, projector: single, batchSize }),
    batched: new ProjectionRunner({ store, checkpoints, projector: batched, batchSize }),
  };
}
