import { randomBytes } from 'node:crypto';
import { describeEventStore } from '@strata/conformance';
import { createPostgresEventStore } from '@strata/store-postgres';
import { postgresReachable, TcpProxy } from '@strata/test-servers';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { describeWithServer } from './support/server-probe.js';
import { tieredKit, type WarmFactory } from './support/tiered-kit.js';

const PG_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The warm schema refuses this event type, as a user's CHECK constraint might.
const REFUSED_TYPE = 'conformance.refused-by-check';

describeWithServer('tiered over PostgreSQL', await postgresReachable(PG_URL), PG_URL, () => {
  const schema = `strata_tiered_${randomBytes(5).toString('hex')}`;
  let proxy: TcpProxy;
  let shared: pg.Pool;
  const seededSchemas: string[] = [];

  beforeAll(async () => {
    proxy = await TcpProxy.inFrontOf(PG_URL);
    // Migrates the schema once; every store of the run uses it.
    await (await createPostgresEventStore({ connectionString: PG_URL, schema })).close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(
      `ALTER TABLE "${schema}"."strata_events" ADD CONSTRAINT conformance_refusal CHECK (event_type <> '${REFUSED_TYPE}')`,
    );
    await admin.end();
    shared = new pg.Pool({ connectionString: proxy.route(PG_URL), max: 6, connectionTimeoutMillis: 2_000 });
    shared.on('error', () => {});
  });

  afterAll(async () => {
    await shared?.end();
    await proxy?.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const dropped of [schema, ...seededSchemas]) {
      await admin.query(`DROP SCHEMA IF EXISTS "${dropped}" CASCADE`);
    }
    await admin.end();
  });

  // Stores share one pool through a proxy the unavailability topic cuts; a peer opens its own.
  const postgres: WarmFactory<null> = {
    create: async () => ({
      warm: await createPostgresEventStore({ pool: shared, schema, statementTimeout: 20_000 }),
      storage: null,
    }),
    createPeer: () =>
      createPostgresEventStore({
        connectionString: proxy.route(PG_URL),
        schema,
        poolSize: 2,
        connectionTimeout: 2_000,
        statementTimeout: 20_000,
      }),
    outage: {
      begin: async () => proxy.cut(),
      end: async () => proxy.restore(),
    },
    async seed(lastPosition) {
      // A schema of its own, its position sequence moved to the end of the range.
      const seeded = `strata_tiered_${randomBytes(5).toString('hex')}`;
      seededSchemas.push(seeded);
      const warm = await createPostgresEventStore({ connectionString: PG_URL, schema: seeded, poolSize: 2 });
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        await admin.query('SELECT setval($1, $2::bigint)', [
          `"${seeded}"."strata_position_seq"`,
          lastPosition.toString(),
        ]);
      } finally {
        await admin.end();
      }
      return { warm, storage: null };
    },
  };

  describeEventStore('tiered: Redis hot tier over PostgreSQL, strict', {
    ...tieredKit(postgres),
    refusedEvent: () => ({ type: REFUSED_TYPE, data: {} }),
    scale: { largeStreamEvents: 2_000 },
  });
});
