// A projection runner in a process of its own, for sqlite-exactly-once-crash.test.ts: it catches one
// projector up with a slow handler that counts each application in a read model through the
// batch's transaction, writing progress (the position it just applied) to a file, until the parent
// kills it or it reaches the log's end.
import { appendFileSync } from 'node:fs';
import type { DomainEvent } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { createSqliteEventStore, type SqliteDatabase } from '../src/index.js';

const [path, name, eventType, progressFile, batchSize, delayMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const store = createSqliteEventStore({ database: path, busyTimeoutMs: 10_000 });
const pause = new Int32Array(new SharedArrayBuffer(4));

const projector = defineProjector<DomainEvent, SqliteDatabase>({
  name,
  handlers: {
    [eventType]: (_data, event, db) => {
      db.prepare(
        `INSERT INTO read_model (position, applications) VALUES (?, 1)
         ON CONFLICT (position) DO UPDATE SET applications = applications + 1`,
      ).run(event.position);
      appendFileSync(progressFile, `${event.position}\n`);
      // SQLite transactions are synchronous: block here, so a kill lands inside the open batch.
      Atomics.wait(pause, 0, 0, Number(delayMs));
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
