import type { EventStore } from '@strata/core';
import { MemoryEventStore } from '../memory-event-store.js';
import { MemoryStorage } from '../memory-storage.js';

export interface MemoryKitTargetOptions<S extends EventStore> {
  /**
   * Wraps each store the kit opens: the wrapper under test. `storage` is the memory it is on; a peer
   * of a store gets the same `storage`. Default: the store itself.
   */
  wrap?: (store: MemoryEventStore, storage: MemoryStorage) => S;
  /** One storage for every test (it may already hold events) instead of fresh storage per test. */
  sharedStorage?: MemoryStorage;
}

/** What `describeEventStore` (`@strata/conformance`) takes to run every topic over the memory store. */
export interface MemoryKitTarget<S extends EventStore> {
  create(): Promise<S>;
  createPeer(store: EventStore): Promise<S>;
  seedPosition(lastPosition: bigint): Promise<S>;
  outage: { begin(store: EventStore): Promise<void>; end(store: EventStore): Promise<void> };
  dispose(store: EventStore): Promise<void>;
}

/**
 * The conformance kit's options for the reference store, with every optional topic it supports:
 * peers on the same storage, a log starting past a given position, and a simulated outage. With
 * `wrap`, the kit runs over your wrapper; closing it must leave the wrapped store open, as the
 * contract asks, so `dispose` closes both.
 */
export function memoryKitTarget<S extends EventStore = MemoryEventStore>(
  options: MemoryKitTargetOptions<S> = {},
): MemoryKitTarget<S> {
  const innerOf = new WeakMap<EventStore, MemoryEventStore>();
  const wrap = options.wrap ?? ((store: MemoryEventStore) => store as unknown as S);
  const open = (storage: MemoryStorage): S => {
    const inner = new MemoryEventStore({ storage });
    const store = wrap(inner, storage);
    innerOf.set(store, inner);
    return store;
  };
  const storageOf = (store: EventStore) => innerOf.get(store)!.storage;
  return {
    create: async () => open(options.sharedStorage ?? new MemoryStorage()),
    createPeer: async (store) => open(storageOf(store)),
    seedPosition: async (lastPosition) => open(new MemoryStorage({ lastPosition })),
    outage: {
      begin: async (store) => storageOf(store).simulateOutage(),
      end: async (store) => storageOf(store).restore(),
    },
    dispose: async (store) => {
      await store.close();
      const inner = innerOf.get(store);
      if (inner !== undefined && inner !== (store as unknown)) await inner.close();
    },
  };
}
