// An at-least-once projection runner in a process of its own, for sqlite-at-least-once-crash.test.ts:
// the preset's cadence child (see cadence-crash-child.js) over this engine's store, counting
// applications in a read model it writes through a connection of its own, each write committed at once.
import * as projections from '@strata/projections';
import { parseCadenceChildArgs, runCadenceCrashChild } from '@strata/vitest-preset/cadence-crash-child';
import Database from 'better-sqlite3';
import { createSqliteEventStore } from '../src/index.js';

const args = parseCadenceChildArgs(process.argv.slice(2));
const [path] = args.engineArgs as [string];
const readModel = new Database(path);
readModel.pragma('busy_timeout = 10000');
const count = readModel.prepare(
  `INSERT INTO read_model (position, applications) VALUES (?, 1)
   ON CONFLICT (position) DO UPDATE SET applications = applications + 1`,
);

await runCadenceCrashChild({
  projections,
  store: createSqliteEventStore({ database: path, busyTimeoutMs: 10_000 }),
  args,
  countApplication: (event) => count.run(event.position),
});
readModel.close();
