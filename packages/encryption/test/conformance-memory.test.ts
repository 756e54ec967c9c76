import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { MemoryEventStore, MemoryStorage } from '@strata/store-memory';
import { withEncryption } from '../src/index.js';
import { conformanceEncryption } from './conformance-encryption.js';

// The wrapper is an EventStore like any adapter, so it runs the whole kit over the reference store.
const innerOf = new WeakMap<EventStore, MemoryEventStore>();
// One encryption (one key store) per storage, so a peer opens what the first instance wrote.
const encryptionOf = new WeakMap<MemoryStorage, ReturnType<typeof conformanceEncryption>>();

function wrap(inner: MemoryEventStore): EventStore {
  let encryption = encryptionOf.get(inner.storage);
  if (encryption === undefined) {
    encryption = conformanceEncryption();
    encryptionOf.set(inner.storage, encryption);
  }
  const store = withEncryption(inner, encryption);
  innerOf.set(store, inner);
  return store;
}

const storageOf = (store: EventStore) => innerOf.get(store)!.storage;

describeEventStore('withEncryption over MemoryEventStore', {
  create: async () => wrap(new MemoryEventStore()),
  createPeer: async (store) => wrap(new MemoryEventStore({ storage: storageOf(store) })),
  seedPosition: async (lastPosition) =>
    wrap(new MemoryEventStore({ storage: new MemoryStorage({ lastPosition }) })),
  outage: {
    begin: async (store) => storageOf(store).simulateOutage(),
    end: async (store) => storageOf(store).restore(),
  },
  // Closing the wrapper leaves the store it wraps open, as the contract asks of every wrapper.
  dispose: async (store) => {
    await store.close();
    await innerOf.get(store)!.close();
  },
});
