import type { EventStore } from '@strata/core';
import type { SeedPlan } from './bench-target.js';
import { benchBatch } from './workloads/bench-events.js';

const CHUNK = 100;

/**
 * Seeds through the public API, for targets with no faster path. Streams are filled in rounds
 * of `CHUNK` events each so the global log interleaves streams as a real one does.
 */
export async function seedThroughStore(store: EventStore, plan: SeedPlan): Promise<void> {
  for (let done = 0; done < plan.eventsPerStream; done += CHUNK) {
    const size = Math.min(CHUNK, plan.eventsPerStream - done);
    for (const streamId of plan.streamIds) {
      await store.append(streamId, benchBatch(done, size), { expectedVersion: done });
    }
  }
}
