import { createPostgresEventStore } from '@strata/store-postgres';
import pg from 'pg';
import { BenchObjectNames } from '../bench-object-names.js';
import type { BenchTarget } from '../bench-target.js';
import { ServerSeedCache } from '../server-seed-cache.js';
import { SERVER_MINIMAL_TARGETS } from './minimal-event.js';
import { postgresRawSchemaSql, seedPostgres } from './postgres-bench-schema.js';
import {
  PostgresMinimalStore,
  postgresFloorSchemaSql,
  postgresMinimalSchemaSql,
} from './postgres-minimal-store.js';
import { POSTGRES_POOL_SIZE, PostgresRawBaseline } from './postgres-raw-baseline.js';
import { SERVER_RAW_NOTE, SERVER_SCALE_NOTE } from './server-notes.js';
import { scaleForServer } from './server-scale.js';

/** The server; `STRATA_PG_URL` overrides the machine's default. */
export const POSTGRES_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Raw pg events/s measured on the reference machine (2 cores, loopback PostgreSQL 15): issue 3. */
const RAW_REFERENCE: BenchTarget['rawReference'] = {
  W1: 1_260,
  W2: 2_314,
  W3: 19_245,
  W4: 59_197,
  W5: 70_279,
};

/** `@strata/store-postgres` against pg running a plain four-round-trip transaction, one schema per run. */
export function postgresTarget(
  url: string = POSTGRES_URL,
  names: BenchObjectNames = new BenchObjectNames('strata_bench_'),
  { partitions }: { partitions?: number | undefined } = {},
): BenchTarget {
  let admin: pg.Pool | undefined;
  const adminPool = (): pg.Pool => {
    if (admin === undefined) {
      admin = new pg.Pool({ connectionString: url, max: 2 });
      admin.on('error', () => {});
    }
    return admin;
  };
  const dropSchema = async (schema: string) => {
    await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  };
  const seeds = new ServerSeedCache(async (plan) => {
    const schema = names.next('seed');
    try {
      // The store's own migrations create its tables, so both sides read what the store would write.
      await (
        await createPostgresEventStore({ connectionString: url, schema, poolSize: 1, partitions })
      ).close();
      for (const sql of postgresRawSchemaSql(schema)) await adminPool().query(sql);
      for (const sql of postgresMinimalSchemaSql(schema)) await adminPool().query(sql);
      for (const sql of postgresFloorSchemaSql(schema)) await adminPool().query(sql);
      await seedPostgres(adminPool(), schema, plan, partitions !== undefined);
    } catch (error) {
      await dropSchema(schema);
      throw error;
    }
    return { name: schema, drop: () => dropSchema(schema) };
  });

  return {
    name: 'postgres',
    family: 'postgres',
    label: partitions === undefined ? 'postgres (pg)' : `postgres (pg), ${partitions} partitions`,
    goals: { W1: 1.0, W2: 1.0, W3: 1.0, W4: 0.9, W5: 0.9 },
    scaling: [{ faster: 'W2', than: 'W1' }],
    rawReference: RAW_REFERENCE,
    rawBaseline:
      'pg: BEGIN, SELECT max(version), one multi-row INSERT, COMMIT per append; plain SELECTs for reads',
    minimal: {
      description:
        'pg: one table minimal_events (identity position, unique (stream_id, version)) in the run schema: BEGIN, ' +
        'SELECT COALESCE(MAX(version), 0), one multi-row INSERT, COMMIT',
      targets: SERVER_MINIMAL_TARGETS,
    },
    floor: {
      description:
        "the minimal store plus the input checks (core's prepareAppend, before BEGIN), a unique event id (UUID v7 text, as the store makes them) in table floor_events, " +
        'the index that idempotent retries and store-wide id uniqueness need, the schema version and recording ' +
        'time (its reads return them and the stored id, as the contract asks), and positions in commit order ' +
        '(gap-safe readAll) from a one-row counter floor_events_sequence, locked until COMMIT; ' +
        'BEGIN, one UPDATE that checks the version and takes the positions, one multi-row INSERT, COMMIT',
    },
    notes: [SERVER_RAW_NOTE, SERVER_SCALE_NOTE],
    scaleFor: scaleForServer,
    probe: () => probePostgres(url),
    async setup() {
      // A fresh schema per run, created by whichever side opens first; a seeded run reads a shared one.
      const fresh = names.next('run');
      let schema = fresh;
      return {
        async createStore() {
          const store = await createPostgresEventStore({ connectionString: url, schema, partitions });
          // Open every pooled connection (and prepare the read statement) outside the timed part.
          await Promise.all(Array.from({ length: POSTGRES_POOL_SIZE }, () => store.readStream('bench-open')));
          return store;
        },
        async openRaw() {
          if (schema === fresh) for (const sql of postgresRawSchemaSql(schema)) await adminPool().query(sql);
          return PostgresRawBaseline.open(url, schema);
        },
        async openMinimal() {
          if (schema === fresh)
            for (const sql of postgresMinimalSchemaSql(schema)) await adminPool().query(sql);
          return PostgresMinimalStore.open(url, schema);
        },
        async openFloor() {
          if (schema === fresh)
            for (const sql of postgresFloorSchemaSql(schema)) await adminPool().query(sql);
          return PostgresMinimalStore.openFloor(url, schema);
        },
        async seed(plan) {
          schema = await seeds.nameFor(plan);
        },
        teardown: () => dropSchema(fresh),
      };
    },
    async dispose() {
      await seeds.clear();
      await admin?.end();
      admin = undefined;
    },
  };
}

/** `undefined` when the server answers, else why the target cannot run. */
export async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL unreachable at ${url} (${error instanceof Error ? error.message : String(error)}); set STRATA_PG_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}
