import { createMemoryEventStore, MemoryStorage } from '@strata/store-memory';
import type { BenchTarget } from '../bench-target.js';
import { seedThroughStore } from '../store-seed.js';

/** The reference in-memory store: no driver under it, so no raw baseline; its numbers are a ceiling. */
export const memoryTarget: BenchTarget = {
  name: 'memory',
  family: 'memory',
  label: 'memory',
  goals: {},
  rawReference: {},
  rawBaseline: undefined,
  // Appends to memory take microseconds: ten times the appends keeps a run long enough to time.
  scaleFor: (scale) => ({ ...scale, singleAppends: scale.singleAppends * 10 }),
  notes: [
    'memory has no driver underneath, so no raw baseline and no ratio: read it as the ceiling of the API.',
  ],
  async setup() {
    const storage = new MemoryStorage();
    return {
      createStore: async () => createMemoryEventStore({ storage }),
      async seed(plan) {
        const store = createMemoryEventStore({ storage });
        await seedThroughStore(store, plan);
        await store.close();
      },
      async teardown() {},
    };
  },
};
