import { fileURLToPath } from 'node:url';
import { crashChildArgv } from '@strata/vitest-preset/crash-child';
import { describeExactlyOnceCrash } from '@strata/vitest-preset/projection-crash';
import { afterAll, describe } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

describe('an exactly-once runner in a process killed with SIGKILL', () => {
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

  describeExactlyOnceCrash({
    childScript: fileURLToPath(new URL('./exactly-once-runner-child.ts', import.meta.url)),
    childArgs: (args) => crashChildArgv([path], args),
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
