import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { TcpProxy } from '@strata/test-servers';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresEventStore, PostgresEventStore } from '../src/index.js';
import { tableNames } from '../src/postgres-table-names.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  PG_URL,
  randomSchema,
  seedSequence,
} from './support/postgres-test-env.js';

// The test schema refuses this event type, as a user's CHECK constraint might.
const REFUSED_TYPE = 'conformance.refused-by-check';

// The whole kit, once per table layout. Stores connect through a TCP proxy so the unavailability
// topic can cut them off. Each test's store runs on one pool the test file owns (the caller-owned
// pool path, and fast: no connection set-up per test); a peer is a second store that creates its
// own pool from a connection string, over the same tables.
for (const partitions of [undefined, 4]) {
  const layout = partitions === undefined ? 'one events table' : `${partitions} hash partitions`;
  describePostgres(`PostgresEventStore (${layout})`, () => {
    const schema = randomSchema();
    let admin: pg.Pool;
    let proxy: TcpProxy;
    let shared: pg.Pool;
    const seededSchemas: string[] = [];

    beforeAll(async () => {
      admin = adminPool();
      proxy = await TcpProxy.inFrontOf(PG_URL);
      const store = await openStore(schema, { partitions });
      await store.close();
      await admin.query(
        `ALTER TABLE ${tableNames(schema).events} ADD CONSTRAINT conformance_refusal CHECK (event_type <> '${REFUSED_TYPE}')`,
      );
      shared = new pg.Pool({ connectionString: proxy.route(PG_URL), max: 6, connectionTimeoutMillis: 2_000 });
      shared.on('error', () => {});
    });

    afterAll(async () => {
      await shared?.end();
      await proxy?.close();
      for (const dropped of [schema, ...seededSchemas]) await dropSchema(admin, dropped);
      await admin.end();
    });

    describeEventStore(`PostgreSQL 15, ${layout}`, {
      create: () => createPostgresEventStore({ pool: shared, schema, partitions, statementTimeout: 20_000 }),
      createPeer: async (store: EventStore) => {
        if (!(store instanceof PostgresEventStore)) throw new Error('not a PostgresEventStore');
        return openStore(schema, {
          connectionString: proxy.route(PG_URL),
          partitions,
          // Short, so a test of an outage fails fast instead of waiting on a dead socket.
          connectionTimeout: 2_000,
          statementTimeout: 20_000,
        });
      },
      seedPosition: async (lastPosition) => {
        // A schema of its own: the kit moves this log to the end of the position range.
        const seeded = randomSchema();
        seededSchemas.push(seeded);
        const store = await openStore(seeded, { partitions, poolSize: 2 });
        await seedSequence(admin, seeded, lastPosition);
        return store;
      },
      outage: {
        begin: async () => proxy.cut(),
        end: async () => proxy.restore(),
      },
      refusedEvent: () => ({ type: REFUSED_TYPE, data: {} }),
    });
  });
}
