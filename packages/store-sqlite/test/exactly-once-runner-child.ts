// A projection runner in a process of its own, for sqlite-exactly-once-crash.test.ts: the preset's
// crash child (see crash-child.js) over this engine's store, counting applications in its read model.
import * as projections from '@strata/projections';
import { parseCrashChildArgs, runCrashChild } from '@strata/vitest-preset/crash-child';
import { createSqliteEventStore, type SqliteDatabase } from '../src/index.js';

const args = parseCrashChildArgs(process.argv.slice(2));
const [path] = args.engineArgs as [string];
const paused = new Int32Array(new SharedArrayBuffer(4));

await runCrashChild({
  projections,
  store: createSqliteEventStore({ database: path, busyTimeoutMs: 10_000 }),
  args,
  countApplication: (db: SqliteDatabase, event) => {
    db.prepare(
      `INSERT INTO read_model (position, applications) VALUES (?, 1)
       ON CONFLICT (position) DO UPDATE SET applications = applications + 1`,
    ).run(event.position);
  },
  // SQLite transactions are synchronous: block here, so a kill lands inside the open batch.
  pause: (ms) => {
    Atomics.wait(paused, 0, 0, ms);
  },
});
