import type { EventStore, RecordedEvent } from '@strata/core';
import { roundOrder } from '../wrappers/wrapper-measure.js';
import type { OpenProjectionTarget } from './projection-backends.js';
import {
  APPEND_CASES,
  type AppendCase,
  attachAppendCase,
  PROJECTION_CASES,
  type ProjectionCase,
  projectionRunners,
} from './projection-cases.js';
import {
  APPEND_TYPES,
  PROJECTED_TYPE,
  type ProjectionReadModel,
  type ReadModelTable,
} from './projection-read-model.js';
import type { ProjectionScale } from './projection-scale.js';

export type MeasuredCase = ProjectionCase | AppendCase;

/** One case's rates on one target: one sample per round. */
export interface ProjectionRates {
  target: string;
  projectionCase: MeasuredCase;
  eventsPerSecond: number[];
  /** Events each block handled (the same in every round, checked). */
  eventsPerBlock: number;
}

interface Block {
  projectionCase: MeasuredCase;
  /** Untimed, before the timer starts: resets a checkpoint, registers a hook. */
  before(): Promise<void> | void;
  /** Runs the block once and returns how many events it read, applied or appended. */
  run(): Promise<number>;
  /** Untimed, after the timer stops. */
  after(): Promise<void> | void;
}

const RUNNER_TABLES = { single: 'single', batched: 'batched', 'exactly-once': 'exactly_once' } as const;

const gc = (globalThis as { gc?: () => void }).gc;
const nothing = () => {};

/**
 * Seeds the log (untimed), then runs `scale.rounds` rounds, each one block of every case in the
 * order of `roundOrder`, after one untimed block of each. Afterwards, checks that every read model
 * holds a row per event it was given, so a projection that skipped events cannot pass as fast.
 */
export async function measureProjections(
  target: string,
  open: OpenProjectionTarget,
  scale: ProjectionScale,
): Promise<ProjectionRates[]> {
  await seedLog(open.store, scale);
  const runners = projectionRunners(open.store, open.readModel, scale.batchSize);
  const projectionBlocks = PROJECTION_CASES.map((projectionCase): Block => {
    if (projectionCase === 'readAll') {
      return { projectionCase, before: nothing, run: () => readWholeLog(open.store, scale), after: nothing };
    }
    if (projectionCase === 'floor') {
      return {
        projectionCase,
        before: () => open.readModel.clear('floor'),
        run: () => readWholeLog(open.store, scale, upsertingPages(open.readModel)),
        after: nothing,
      };
    }
    const runner = runners[projectionCase];
    return {
      projectionCase,
      // Every block replays the whole log into an emptied read model, as a rebuild does.
      before: async () => {
        await open.readModel.checkpoints.deleteCheckpoint(runner.status().name);
        await open.readModel.clear(RUNNER_TABLES[projectionCase]);
      },
      run: () => runner.catchUp(),
      after: nothing,
    };
  });
  let detach = nothing;
  const appendBlocks = APPEND_CASES.map(
    (projectionCase): Block => ({
      projectionCase,
      before: () => {
        ({ detach } = attachAppendCase(projectionCase, open.readModel));
      },
      run: appendBlock(open.store, projectionCase, scale),
      after: () => {
        detach();
        detach = nothing;
      },
    }),
  );
  const blocks = [...projectionBlocks, ...appendBlocks];
  const results = blocks.map(
    (block): ProjectionRates => ({
      target,
      projectionCase: block.projectionCase,
      eventsPerSecond: [],
      eventsPerBlock: 0,
    }),
  );
  const runOnce = async (block: Block) => {
    await block.before();
    try {
      gc?.();
      const started = performance.now();
      const events = await block.run();
      return { events, seconds: (performance.now() - started) / 1000 };
    } finally {
      await block.after();
    }
  };
  for (const block of blocks) await runOnce(block);
  for (let round = 0; round < scale.rounds; round++) {
    for (const block of roundOrder(blocks, round)) {
      const { events, seconds } = await runOnce(block);
      const result = results[blocks.indexOf(block)]!;
      if (events !== expectedEvents(block.projectionCase, scale)) {
        throw new Error(
          `${target} ${block.projectionCase}: a block handled ${events} events, expected ${expectedEvents(block.projectionCase, scale)}`,
        );
      }
      result.eventsPerBlock = events;
      result.eventsPerSecond.push(events / seconds);
    }
  }
  await checkReadModels(target, open, scale);
  return results;
}

const isAppendCase = (c: MeasuredCase): c is AppendCase => (APPEND_CASES as readonly string[]).includes(c);

export function expectedEvents(projectionCase: MeasuredCase, scale: ProjectionScale): number {
  return isAppendCase(projectionCase) ? scale.appendsPerRound : scale.loggedEvents;
}

/** The projected events, in appends of 100 over streams of 100 events. */
async function seedLog(store: EventStore, scale: ProjectionScale): Promise<void> {
  for (let done = 0; done < scale.loggedEvents; done += 100) {
    const count = Math.min(100, scale.loggedEvents - done);
    const events = Array.from({ length: count }, (_, i) => ({
      type: PROJECTED_TYPE,
      data: { amount: done + i },
    }));
    await store.append(`seed-${done / 100}`, events, { expectedVersion: 0 });
  }
}

/**
 * Pages through the projected events the way a runner does (same page size and type filter),
 * handing each page to `eachPage` (raw readAll: nothing).
 */
async function readWholeLog(
  store: EventStore,
  scale: ProjectionScale,
  eachPage?: (page: readonly RecordedEvent[]) => Promise<void>,
): Promise<number> {
  let after = 0n;
  let read = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: scale.batchSize, types: [PROJECTED_TYPE] });
    if (eachPage !== undefined && page.length > 0) await eachPage(page);
    read += page.length;
    if (page.length < scale.batchSize) return read;
    after = page.at(-1)!.position;
  }
}

/**
 * The async floor's write: each page's rows in one multi-row upsert, committed on its own (one
 * statement outside a transaction), the least a projector writing that read model does per batch.
 */
const upsertingPages =
  (readModel: ProjectionReadModel<unknown>) =>
  (page: readonly RecordedEvent[]): Promise<void> =>
    readModel.upsertMany('floor', page);

/** Single-event appends with the exact expected version, round-robin over the case's own streams. */
function appendBlock(
  store: EventStore,
  appendCase: AppendCase,
  scale: ProjectionScale,
): () => Promise<number> {
  const versions = new Array<number>(scale.appendStreams).fill(0);
  let next = 0;
  return async () => {
    for (let i = 0; i < scale.appendsPerRound; i++) {
      const stream = next++ % scale.appendStreams;
      const expectedVersion = versions[stream]!;
      await store.append(
        `${appendCase}-${stream}`,
        [{ type: APPEND_TYPES[appendCase], data: { amount: next } }],
        {
          expectedVersion,
        },
      );
      versions[stream] = expectedVersion + 1;
    }
    return scale.appendsPerRound;
  };
}

/**
 * Every read model holds one row per event it was given: the log's events, or every append of its
 * case (a realtime projector left behind would have written none after falling behind).
 */
async function checkReadModels(target: string, open: OpenProjectionTarget, scale: ProjectionScale) {
  const appends = (scale.rounds + 1) * scale.appendsPerRound;
  const expectations: Record<ReadModelTable, number> = {
    floor: scale.loggedEvents,
    single: scale.loggedEvents,
    batched: scale.loggedEvents,
    exactly_once: scale.loggedEvents,
    hook: appends,
    realtime: appends,
  };
  for (const [table, expected] of Object.entries(expectations) as [ReadModelTable, number][]) {
    const rows = await open.readModel.count(table);
    if (rows !== expected) {
      throw new Error(`${target}: read model ${table} holds ${rows} rows, expected ${expected}`);
    }
  }
}
