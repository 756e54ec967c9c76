import { randomBytes } from 'node:crypto';
import { describeEventStore } from '@strata/conformance';
import { createMysqlEventStore } from '@strata/store-mysql';
import { TcpProxy } from '@strata/test-servers';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { describeWithServer } from './support/server-probe.js';
import { tieredKit, type WarmFactory } from './support/tiered-kit.js';

const MYSQL_URL = process.env.STRATA_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
// The warm tables refuse this event type, as a user's CHECK constraint might.
const REFUSED_TYPE = 'conformance.refused-by-check';

async function reachable(): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: MYSQL_URL, connectTimeout: 3_000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

describeWithServer('tiered over MySQL/MariaDB', await reachable(), MYSQL_URL, () => {
  const tablePrefix = `tt_${randomBytes(4).toString('hex')}_`;
  let proxy: TcpProxy;
  /** Tables of their own for the exact-positions topic; under `tablePrefix`, so dropped with it. */
  const seededPrefixes: string[] = [];

  beforeAll(async () => {
    proxy = await TcpProxy.inFrontOf(MYSQL_URL);
    // Creates the tables once; every store of the run uses them.
    const migrating = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix });
    await migrating.streamVersion('migrate');
    await migrating.close();
    const connection = await createConnection({ uri: MYSQL_URL });
    await connection.query(
      `ALTER TABLE \`${tablePrefix}events\` ADD CONSTRAINT conformance_refusal CHECK (event_type <> '${REFUSED_TYPE}')`,
    );
    await connection.end();
  });

  afterAll(async () => {
    await proxy?.close();
    const connection = await createConnection({ uri: MYSQL_URL });
    const [rows] = await connection.query('SHOW TABLES LIKE ?', [`${tablePrefix}%`]);
    for (const row of rows as Record<string, string>[]) {
      await connection.query(`DROP TABLE IF EXISTS \`${Object.values(row)[0]}\``);
    }
    for (const prefix of [tablePrefix, ...seededPrefixes]) {
      await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_one\``);
      await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_single\``);
      await connection.query(`DROP PROCEDURE IF EXISTS \`${prefix}append_batch\``);
    }
    await connection.end();
  });

  // Stores reach the server through a proxy the unavailability topic cuts.
  const mysql: WarmFactory<null> = {
    create: async () => ({
      warm: createMysqlEventStore({ connection: proxy.route(MYSQL_URL), tablePrefix, poolSize: 4 }),
      storage: null,
    }),
    createPeer: async () =>
      createMysqlEventStore({ connection: proxy.route(MYSQL_URL), tablePrefix, poolSize: 2 }),
    outage: {
      begin: async () => proxy.cut(),
      end: async () => proxy.restore(),
    },
    async seed(lastPosition) {
      const seeded = `${tablePrefix}s${seededPrefixes.length}_`;
      seededPrefixes.push(seeded);
      const warm = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: seeded, poolSize: 2 });
      await warm.streamVersion('migrate');
      const connection = await createConnection({ uri: MYSQL_URL });
      try {
        await connection.execute(
          `UPDATE \`${seeded}sequence\` SET position = CAST(? AS UNSIGNED) WHERE id = 1`,
          [lastPosition.toString()],
        );
      } finally {
        await connection.end();
      }
      return { warm, storage: null };
    },
  };

  describeEventStore('tiered: Redis hot tier over MySQL/MariaDB, strict', {
    ...tieredKit(mysql),
    refusedEvent: () => ({ type: REFUSED_TYPE, data: {} }),
    scale: { largeStreamEvents: 2_000 },
  });
});
