import type { EventRegistry, EventStore } from '@strata/core';
import { INVENTORY_STREAM_TYPE, inventoryEvents } from './bench-inventory.js';

/** Appends `count` movements to a new stream through the store, `batch` per append, as saves would write them. */
export async function seedInventory(
  events: EventStore,
  registry: EventRegistry,
  streamId: string,
  count: number,
  batch: number,
): Promise<void> {
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    await events.append(streamId, inventoryEvents(registry, done + 1, size), {
      expectedVersion: done,
      streamType: INVENTORY_STREAM_TYPE,
    });
  }
}
