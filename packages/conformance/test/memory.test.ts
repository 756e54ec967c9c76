import type { EventStore } from '@strata/core';
import { MemoryEventStore, MemoryStorage } from '@strata/store-memory';
import { describeEventStore } from '../src/index.js';

function storageOf(store: EventStore): MemoryStorage {
  return (store as MemoryEventStore).storage;
}

const memoryCapabilities = {
  createPeer: async (store: EventStore) => new MemoryEventStore({ storage: storageOf(store) }),
  seedPosition: async (lastPosition: bigint) =>
    new MemoryEventStore({ storage: new MemoryStorage({ lastPosition }) }),
  outage: {
    begin: async (store: EventStore) => storageOf(store).simulateOutage(),
    end: async (store: EventStore) => storageOf(store).restore(),
  },
};

describeEventStore('MemoryEventStore, fresh storage per test', {
  create: async () => new MemoryEventStore(),
  ...memoryCapabilities,
});

// One storage for every test, already holding other streams' events: the kit must not assume an
// empty log or depend on test order.
const shared = new MemoryStorage();
const seeder = new MemoryEventStore({ storage: shared });
const seeded = (async () => {
  for (let i = 0; i < 20; i++) {
    await seeder.append(
      `pre-existing-${i}`,
      Array.from({ length: 50 }, (_, n) => ({ type: 'seeded', data: { n } })),
    );
  }
})();

describeEventStore('MemoryEventStore, one storage shared by every test', {
  create: async () => {
    await seeded;
    return new MemoryEventStore({ storage: shared });
  },
  ...memoryCapabilities,
});
