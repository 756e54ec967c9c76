// A projection runner in a process of its own, for postgres-exactly-once-crash.test.ts: it catches
// one projector up with a slow handler that counts each application in a read model through the
// batch's transaction, writing progress (the position it just applied) to a file, until the parent
// kills it or it reaches the log's end.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { createPostgresEventStore, type PostgresClient } from '../src/index.js';

const [url, schema, name, eventType, progressFile, batchSize, delayMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const store = await createPostgresEventStore({ connectionString: url, schema, poolSize: 4, migrate: false });

const projector = defineProjector<DomainEvent, PostgresClient>({
  name,
  handlers: {
    [eventType]: async (_data, event, client) => {
      await client.query(
        `INSERT INTO "${schema}".read_model (position, applications) VALUES ($1, 1)
         ON CONFLICT (position) DO UPDATE SET applications = read_model.applications + 1`,
        [event.position.toString()],
      );
      appendFileSync(progressFile, `${event.position}\n`);
      // Slow, so the parent's kill lands inside the open batch.
      await sleep(Number(delayMs));
    },
  },
});
// Exactly once: each batch's read-model writes and its checkpoint save commit in one transaction.
const runner = new ProjectionRunner({
  store,
  checkpoints: store.checkpoints,
  transactions: store.checkpoints,
  projector,
  batchSize: Number(batchSize),
});
await runner.catchUp();
await store.close();
