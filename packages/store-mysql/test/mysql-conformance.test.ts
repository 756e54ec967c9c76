import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { TcpProxy } from '@strata/test-servers';
import { createPool } from 'mysql2/promise';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, migrate } from '../src/index.js';
import { tableNames } from '../src/mysql-table-names.js';
import {
  dropTables,
  MYSQL_URL,
  mysqlReachable,
  randomPrefix,
  seedSequence,
  serverAddress,
} from './mysql-test-server.js';

const reachable = await mysqlReachable();

// The test tables refuse this event type, as a user's CHECK constraint might.
const REFUSED_TYPE = 'conformance.refused-by-check';

for (const partitions of [undefined, 4]) {
  const label = partitions === undefined ? 'plain table' : `${partitions} KEY partitions`;
  describe.skipIf(!reachable)(`MySQL store conformance (${label})`, () => {
    const prefix = randomPrefix();
    const proxies = new Map<EventStore, TcpProxy>();
    const options = { tablePrefix: prefix, poolSize: 4, ...(partitions === undefined ? {} : { partitions }) };

    beforeAll(async () => {
      const pool = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
      try {
        await migrate(pool, options);
        await pool.query(
          `ALTER TABLE ${tableNames(prefix).events} ADD CONSTRAINT conformance_refusal CHECK (event_type <> '${REFUSED_TYPE}')`,
        );
      } finally {
        await pool.end();
      }
    });
    const seededPrefixes: string[] = [];
    afterAll(async () => {
      for (const seeded of [prefix, ...seededPrefixes]) await dropTables(seeded);
    });

    describeEventStore(`MySQL store (${label})`, {
      async create() {
        // Each store talks to the server through its own proxy, so an outage hits that store only.
        const { host, port } = serverAddress();
        const proxy = await TcpProxy.start(port, host);
        const store = createMysqlEventStore({ connection: proxy.route(MYSQL_URL), ...options });
        proxies.set(store, proxy);
        return store;
      },
      async seedPosition(lastPosition) {
        // Tables of their own: the kit moves this log to the end of the position range.
        const seeded = randomPrefix();
        seededPrefixes.push(seeded);
        const store = createMysqlEventStore({ connection: MYSQL_URL, ...options, tablePrefix: seeded });
        await store.streamVersion('open');
        await seedSequence(seeded, lastPosition);
        return store;
      },
      async createPeer() {
        return createMysqlEventStore({ connection: MYSQL_URL, ...options });
      },
      outage: {
        begin: async (store) => proxies.get(store)?.cut(),
        end: async (store) => proxies.get(store)?.restore(),
      },
      refusedEvent: () => ({ type: REFUSED_TYPE, data: {} }),
      async dispose(store) {
        await (store as MysqlEventStore).close();
        await proxies.get(store)?.close();
        proxies.delete(store);
      },
    });
  });
}
