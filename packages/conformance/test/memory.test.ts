import { MemoryEventStore, MemoryStorage } from '@strata/store-memory';
import { memoryKitTarget } from '@strata/store-memory/testing';
import { describeEventStore } from '../src/index.js';

describeEventStore('MemoryEventStore, fresh storage per test', memoryKitTarget());

// One storage for every test, already holding other streams' events: the kit must not assume an
// empty log or depend on test order.
const shared = new MemoryStorage();
const seeder = new MemoryEventStore({ storage: shared });
for (let i = 0; i < 20; i++) {
  await seeder.append(
    `pre-existing-${i}`,
    Array.from({ length: 50 }, (_, n) => ({ type: 'seeded', data: { n } })),
  );
}

describeEventStore(
  'MemoryEventStore, one storage shared by every test',
  memoryKitTarget({ sharedStorage: shared }),
);
