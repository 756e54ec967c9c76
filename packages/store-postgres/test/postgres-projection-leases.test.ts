import { fileURLToPath } from 'node:url';
import { describeProjectionLeaseRace } from '@strata/vitest-preset/projection-lease-race';
import { beforeAll } from 'vitest';
import { describePostgres, PG_URL, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('projection runners in separate processes under store.leases', () => {
  const env = storeInFreshSchema();

  beforeAll(async () => {
    await env.admin.query(
      `CREATE TABLE "${env.schema}".read_model (
        position bigint PRIMARY KEY, applications integer NOT NULL, runner text NOT NULL)`,
    );
  });

  describeProjectionLeaseRace({
    childScript: fileURLToPath(new URL('./lease-runner-child.ts', import.meta.url)),
    childArgs: (runnerId, projector, eventType) => [PG_URL, env.schema, runnerId, projector, eventType],
    store: () => env.store,
    readModel: async () =>
      (await env.admin.query(`SELECT applications, runner FROM "${env.schema}".read_model ORDER BY position`))
        .rows,
    clearReadModel: async () => {
      await env.admin.query(`TRUNCATE "${env.schema}".read_model`);
    },
  });
});
