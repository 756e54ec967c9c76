import { fileURLToPath } from 'node:url';
import { crashChildArgv } from '@strata/vitest-preset/crash-child';
import { describeExactlyOnceCrash } from '@strata/vitest-preset/projection-crash';
import { describePostgres, PG_URL, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('an exactly-once runner in a process killed with SIGKILL', () => {
  const env = storeInFreshSchema();

  describeExactlyOnceCrash({
    childScript: fileURLToPath(new URL('./exactly-once-runner-child.ts', import.meta.url)),
    childArgs: (args) => crashChildArgv([PG_URL, env.schema], args),
    store: () => env.store,
    createReadModel: async () => {
      await env.admin.query(
        `CREATE TABLE "${env.schema}".read_model (position bigint PRIMARY KEY, applications integer NOT NULL)`,
      );
    },
    readModel: async () =>
      (
        await env.admin.query(
          `SELECT position::int AS position, applications FROM "${env.schema}".read_model ORDER BY position`,
        )
      ).rows,
  });
});
