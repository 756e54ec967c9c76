import { fileURLToPath } from 'node:url';
import { describeProjectionLeaseRace, type LeaseRaceRow } from '@strata/vitest-preset/projection-lease-race';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { MysqlEventStore } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('projection runners in separate processes under store.leases', () => {
  const tables = useTestTables();
  const readModelTable = `\`${tables.prefix}read_model\``;
  let store: MysqlEventStore;

  beforeAll(async () => {
    const admin = await tables.raw();
    await admin.query(
      `CREATE TABLE ${readModelTable} (
        position BIGINT UNSIGNED PRIMARY KEY, applications INT NOT NULL, runner VARCHAR(64) NOT NULL)`,
    );
  });
  afterAll(async () => {
    const admin = await createConnection({ uri: MYSQL_URL });
    await admin.query(`DROP TABLE IF EXISTS ${readModelTable}`);
    await admin.end();
  });
  beforeEach(() => {
    store = tables.open();
  });

  describeProjectionLeaseRace({
    childScript: fileURLToPath(new URL('./lease-runner-child.ts', import.meta.url)),
    childArgs: (runnerId, projector, eventType) => [MYSQL_URL, tables.prefix, runnerId, projector, eventType],
    store: () => store,
    readModel: async () => {
      const [rows] = await (await tables.raw()).query(
        `SELECT applications, runner FROM ${readModelTable} ORDER BY position`,
      );
      return rows as LeaseRaceRow[];
    },
    clearReadModel: async () => {
      await (await tables.raw()).query(`TRUNCATE ${readModelTable}`);
    },
  });
});
