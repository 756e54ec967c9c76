import { fileURLToPath } from 'node:url';
import { crashChildArgv } from '@strata/vitest-preset/crash-child';
import { describeExactlyOnceCrash } from '@strata/vitest-preset/projection-crash';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe } from 'vitest';
import type { MysqlEventStore } from '../src/index.js';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('an exactly-once runner in a process killed with SIGKILL', () => {
  const tables = useTestTables();
  const readModelTable = `\`${tables.prefix}read_model\``;
  let store: MysqlEventStore | undefined;
  const query = async (sql: string) => {
    const admin = await tables.raw();
    return (await admin.query(sql))[0];
  };
  afterAll(async () => {
    // The test tables helper drops the store's tables; the read model is this file's own.
    const admin = await createConnection({ uri: MYSQL_URL });
    await admin.query(`DROP TABLE IF EXISTS ${readModelTable}`);
    await admin.end();
  });

  describeExactlyOnceCrash({
    childScript: fileURLToPath(new URL('./exactly-once-runner-child.ts', import.meta.url)),
    childArgs: (args) => crashChildArgv([MYSQL_URL, tables.prefix], args),
    store: () => {
      store ??= tables.open();
      return store;
    },
    createReadModel: async () => {
      await query(
        `CREATE TABLE ${readModelTable} (position BIGINT UNSIGNED PRIMARY KEY, applications INT NOT NULL)`,
      );
    },
    readModel: async () =>
      (
        (await query(
          `SELECT CAST(position AS SIGNED) AS position, applications FROM ${readModelTable} ORDER BY position`,
        )) as Array<{ position: number | string; applications: number }>
      ).map((row) => ({ position: Number(row.position), applications: row.applications })),
  });
});
