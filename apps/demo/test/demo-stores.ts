import type { EventStore, KeyStore } from '@strata/core';
import {
  createMemoryEventStore,
  MemoryCheckpointStore,
  MemoryKeyStore,
  MemorySnapshotStore,
} from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { attachSqliteOrderSummaries } from '../src/read-models/sqlite-order-summaries.js';
import type { SideStores } from '../src/story.js';
import { withMemoryOrderSummaries } from './memory-order-summaries.js';

export interface DemoStores {
  store: EventStore;
  side: SideStores;
  keys: KeyStore;
}

/** The demo's stores on SQLite, as `pnpm demo` opens them, and on the memory store. */
export const demoStores: Array<[string, () => Promise<DemoStores>]> = [
  [
    'SQLite',
    async () => {
      const store = createSqliteEventStore({ database: ':memory:' });
      const orderSummaries = await attachSqliteOrderSummaries(store);
      return {
        store,
        side: { snapshots: store.snapshots, checkpoints: store.checkpoints, orderSummaries },
        keys: store.keys,
      };
    },
  ],
  [
    'the memory store',
    async () => {
      const { store, summaries } = withMemoryOrderSummaries(createMemoryEventStore());
      return {
        store,
        side: {
          snapshots: new MemorySnapshotStore(),
          checkpoints: new MemoryCheckpointStore(),
          orderSummaries: summaries,
        },
        keys: new MemoryKeyStore(),
      };
    },
  ],
];
