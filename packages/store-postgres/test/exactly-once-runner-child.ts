// A projection runner in a process of its own, for postgres-exactly-once-crash.test.ts: the
// preset's crash child (see crash-child.js) over this engine's store, counting applications in its
// read model.
import { setTimeout as sleep } from 'node:timers/promises';
import * as projections from '@strata/projections';
import { parseCrashChildArgs, runCrashChild } from '@strata/vitest-preset/crash-child';
import { createPostgresEventStore, type PostgresClient } from '../src/index.js';

const args = parseCrashChildArgs(process.argv.slice(2));
const [url, schema] = args.engineArgs as [string, string];

await runCrashChild({
  projections,
  store: await createPostgresEventStore({ connectionString: url, schema, poolSize: 4, migrate: false }),
  args,
  countApplication: (client: PostgresClient, event) =>
    client.query(
      `INSERT INTO "${schema}".read_model (position, applications) VALUES ($1, 1)
       ON CONFLICT (position) DO UPDATE SET applications = read_model.applications + 1`,
      [event.position.toString()],
    ),
  pause: sleep,
});
