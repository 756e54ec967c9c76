// A projection runner in a process of its own, for mysql-exactly-once-crash.test.ts: the preset's
// crash child (see crash-child.js) over this engine's store, counting applications in its read model.
import { setTimeout as sleep } from 'node:timers/promises';
import * as projections from '@strata/projections';
import { parseCrashChildArgs, runCrashChild } from '@strata/vitest-preset/crash-child';
import { createMysqlEventStore, type MysqlQueryable } from '../src/index.js';

const args = parseCrashChildArgs(process.argv.slice(2));
const [url, prefix] = args.engineArgs as [string, string];

await runCrashChild({
  projections,
  store: createMysqlEventStore({ connection: url, tablePrefix: prefix, poolSize: 4, migrate: false }),
  args,
  countApplication: (connection: MysqlQueryable, event) =>
    connection.execute(
      {
        sql: `INSERT INTO \`${prefix}read_model\` (position, applications) VALUES (?, 1)
              ON DUPLICATE KEY UPDATE applications = applications + 1`,
      },
      [event.position.toString()],
    ),
  pause: sleep,
});
