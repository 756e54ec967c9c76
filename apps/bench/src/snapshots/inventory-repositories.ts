import {
  AggregateRepository,
  type AggregateSnapshots,
  type EventRegistry,
  type EventStore,
} from '@strata/core';
import { BenchInventory, INVENTORY_STREAM_TYPE } from './bench-inventory.js';

export type InventoryRepository = AggregateRepository<BenchInventory>;

/** The stream id the repository gives inventory `id`. */
export const inventoryStreamId = (id: string): string => `${INVENTORY_STREAM_TYPE}-${id}`;

/** A repository as an application would configure it: with or without the `snapshots` option. */
export function inventoryRepository(
  events: EventStore,
  registry: EventRegistry,
  snapshots?: AggregateSnapshots,
): InventoryRepository {
  return new AggregateRepository(events, {
    streamType: INVENTORY_STREAM_TYPE,
    create: (id) => new BenchInventory(id),
    registry,
    ...(snapshots === undefined ? {} : { snapshots }),
  });
}
