// A separate process for the kill test: it runs one eager migration over a SQLite file or a
// PostgreSQL schema and reports each batch to its parent, which kills it with SIGKILL mid-way.
import type { CheckpointStore, EventStore } from '@strata/core';
import { createPostgresEventStore } from '@strata/store-postgres';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { migrateEvents } from '../src/index.js';
import { migrationChain } from './migration-chain.js';

const [kind, location, batchSize, pgUrl] = process.argv.slice(2) as [string, string, string, string];

async function open(): Promise<{ store: EventStore; checkpoints: CheckpointStore }> {
  if (kind === 'sqlite') {
    const store = createSqliteEventStore({ database: location, busyTimeoutMs: 10_000 });
    return { store, checkpoints: store.checkpoints };
  }
  const store = await createPostgresEventStore({ connectionString: pgUrl, schema: location, poolSize: 2 });
  return { store, checkpoints: store.checkpoints };
}

const { store, checkpoints } = await open();
const report = await migrateEvents(store, migrationChain, {
  checkpoints,
  batchSize: Number(batchSize),
  onProgress: ({ done }) => process.send?.({ done }),
});
process.send?.({ finished: report.examined });
await store.close();
process.disconnect?.();
