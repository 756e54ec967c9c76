// A projection runner in a process of its own, for mysql-projection-leases.test.ts: it runs the
// projector it is given under `store.leases`, applying events of one type into a read model table
// by an upsert that counts applications, reports its state to the parent, and stops when told to.
import type { RecordedEvent } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { serveRunnerToParent } from '@strata/vitest-preset/runner-child';
import { createPool } from 'mysql2/promise';
import { createMysqlEventStore } from '../src/index.js';

const [url, prefix, runnerId, name, eventType] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const store = createMysqlEventStore({ connection: url, tablePrefix: prefix, poolSize: 4, migrate: false });
const readModel = createPool({ uri: url, connectionLimit: 2 });

const projector = defineProjector({
  name,
  handlers: {
    [eventType]: async (_data: unknown, event: RecordedEvent) => {
      await readModel.execute(
        `INSERT INTO \`${prefix}read_model\` (position, applications, runner) VALUES (?, 1, ?)
         ON DUPLICATE KEY UPDATE applications = applications + 1`,
        [event.position.toString(), runnerId],
      );
      // Slow enough that a kill lands in the middle of a batch.
      await new Promise((resolve) => setTimeout(resolve, 2));
    },
  },
});
const runner = new ProjectionRunner({
  store,
  checkpoints: store.checkpoints,
  projector,
  batchSize: 10,
  // A save after every batch, as the takeover scenario counts at most one batch applied twice.
  checkpointEvery: { events: 1 },
  polling: { minMs: 5, maxMs: 50 },
  lease: store.leases,
  standbyRetryMs: 100,
});
serveRunnerToParent(runner, async () => {
  await store.close();
  await readModel.end();
});
