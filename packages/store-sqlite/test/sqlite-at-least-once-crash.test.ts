import { fileURLToPath } from 'node:url';
import { cadenceChildArgv } from '@strata/vitest-preset/cadence-crash-child';
import { describeAtLeastOnceCrash } from '@strata/vitest-preset/projection-cadence-crash';
import { afterAll, describe } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

describe('an at-least-once runner with a checkpoint cadence in a process killed with SIGKILL', () => {
  const databases = tempDatabases();
  const path = databases.path();
  const store = createSqliteEventStore({ database: path, busyTimeoutMs: 10_000 });
  // The test's own connection, to create and read the read model behind the store's back.
  let raw: ReturnType<typeof databases.raw> | undefined;
  const db = () => {
    raw ??= databases.raw(path);
    return raw;
  };
  afterAll(() => store.close());

  describeAtLeastOnceCrash({
    childScript: fileURLToPath(new URL('./at-least-once-runner-child.ts', import.meta.url)),
    childArgs: (args) => cadenceChildArgv([path], args),
    store: () => store,
    createReadModel: async () => {
      db().exec('CREATE TABLE read_model (position INTEGER PRIMARY KEY, applications INTEGER NOT NULL)');
    },
    readModel: async () =>
      db().prepare('SELECT position, applications FROM read_model ORDER BY position').all() as Array<{
        position: number;
        applications: number;
      }>,
  });
});
