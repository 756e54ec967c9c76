import { describeCheckpointAdvance } from '@strata/vitest-preset/checkpoint-advance';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

// Without the type index the lookup walks the position index back; with it, one step per type.
for (const typeIndex of [false, true]) {
  describePostgres(
    `advanceCheckpointFromPreceding in an append transaction on PostgreSQL (typeIndex: ${typeIndex})`,
    () => {
      describeCheckpointAdvance(async () => {
        const schema = randomSchema();
        const store = await openStore(schema, { typeIndex });
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
    },
  );
}
