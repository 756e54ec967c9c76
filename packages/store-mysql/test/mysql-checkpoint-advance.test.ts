import { describeCheckpointAdvance } from '@strata/vitest-preset/checkpoint-advance';
import { describe } from 'vitest';
import { createMysqlEventStore } from '../src/index.js';
import { dropTables, MYSQL_URL, mysqlReachable, randomPrefix } from './mysql-test-server.js';

const reachable = await mysqlReachable();

// Without the type index (the default) and with it: the lookups take other paths.
for (const typeIndex of [false, true]) {
  describe.skipIf(!reachable)(
    `advanceCheckpointFromPreceding in an append transaction on MySQL/MariaDB${typeIndex ? ' (typeIndex: true)' : ''}`,
    () => {
      describeCheckpointAdvance(async () => {
        const prefix = randomPrefix();
        const store = createMysqlEventStore({
          connection: MYSQL_URL,
          tablePrefix: prefix,
          poolSize: 2,
          typeIndex,
        });
        await store.migrate();
        return {
          store,
          close: async () => {
            await store.close();
            await dropTables(prefix);
          },
        };
      });
    },
  );
}
