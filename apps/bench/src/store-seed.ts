import type { EventStore } from '@strata/core';
import type { BenchSubject, SeedPlan } from './bench-target.js';
import { benchBatch } from './workloads/bench-events.js';

const CHUNK = 100;

/**
 * Seeds through the public API, for targets with no faster path. Streams are filled in rounds
 * of `CHUNK` events each so the global log interleaves streams as a real one does.
 */
export async function seedThroughStore(store: EventStore, plan: SeedPlan): Promise<void> {
  await seedInRounds(plan, (streamId, events, expectedVersion) =>
    store.append(streamId, events, { expectedVersion }),
  );
}

/** `seedThroughStore` for a bench subject (a baseline), writing the same events in the same order. */
export async function seedThroughSubject(subject: BenchSubject, plan: SeedPlan): Promise<void> {
  await seedInRounds(plan, (streamId, events, expectedVersion) =>
    subject.append(streamId, events, expectedVersion),
  );
}

async function seedInRounds(
  plan: SeedPlan,
  append: (
    streamId: string,
    events: ReturnType<typeof benchBatch>,
    expectedVersion: number,
  ) => Promise<unknown>,
): Promise<void> {
  for (let done = 0; done < plan.eventsPerStream; done += CHUNK) {
    const size = Math.min(CHUNK, plan.eventsPerStream - done);
    for (const streamId of plan.streamIds) await append(streamId, benchBatch(done, size), done);
  }
}
