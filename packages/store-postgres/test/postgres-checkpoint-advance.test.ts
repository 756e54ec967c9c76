import { describeCheckpointAdvance } from '@strata/vitest-preset/checkpoint-advance';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

describePostgres('advanceCheckpointFromPreceding in an append transaction on PostgreSQL', () => {
  describeCheckpointAdvance(async () => {
    const schema = randomSchema();
    const store = await openStore(schema);
    return {
      store,
      close: async () => {
        await store.close();
        const admin = adminPool();
        await dropSchema(admin, schema);
        await admin.end();
      },
    };
  });
});
