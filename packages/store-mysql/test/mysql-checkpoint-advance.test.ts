import { describeCheckpointAdvance } from '@strata/vitest-preset/checkpoint-advance';
import { describe } from 'vitest';
import { createMysqlEventStore } from '../src/index.js';
import { dropTables, MYSQL_URL, mysqlReachable, randomPrefix } from './mysql-test-server.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)(
  'advanceCheckpointFromPreceding in an append transaction on MySQL/MariaDB',
  () => {
    describeCheckpointAdvance(async () => {
      const prefix = randomPrefix();
      const store = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, poolSize: 2 });
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
