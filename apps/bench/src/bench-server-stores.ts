import { createMysqlEventStore, type MysqlEventStore } from '@strata/store-mysql';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import pg from 'pg';
import { BenchObjectNames } from './bench-object-names.js';
import { dropMysqlTables } from './targets/mysql-bench-schema.js';
import { mysqlPool } from './targets/mysql-raw-baseline.js';
import { MYSQL_URL } from './targets/mysql-target.js';
import { POSTGRES_URL } from './targets/postgres-target.js';

/** A store on a server, under a schema or table prefix of its own. */
export interface OpenServerStore<S> {
  store: S;
  /** The schema or table prefix the store lives under. */
  location: string;
  /** Closes the store and drops its schema or tables (nothing else). */
  cleanup(): Promise<void>;
}

const names = new BenchObjectNames('strata_bench_');

/** Connections in the stores' pools (their default size). */
const POOL_SIZE = 10;

/**
 * Opens every pooled connection before measuring: a call that has to open a new connection waits
 * tens of milliseconds on a busy machine, which would land in whichever sample comes first (in the
 * tiered suite, a write-through's read-back waiting for one lets the copy fall behind: it is dropped).
 */
async function openConnections(store: { readStream(streamId: string): Promise<unknown> }): Promise<void> {
  await Promise.all(Array.from({ length: POOL_SIZE }, () => store.readStream('bench-open')));
}

/** The PostgreSQL store with its defaults, in a fresh schema `strata_bench_<tag>_<kind>N`. */
export async function openPostgresBenchStore(kind: string): Promise<OpenServerStore<PostgresEventStore>> {
  const schema = names.next(kind);
  const store = await createPostgresEventStore({
    connectionString: POSTGRES_URL,
    schema,
    poolSize: POOL_SIZE,
  });
  await openConnections(store);
  return {
    store,
    location: schema,
    async cleanup() {
      await store.close();
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** The MySQL store with its defaults, under a fresh table prefix `strata_bench_<tag>_<kind>N_`. */
export async function openMysqlBenchStore(kind: string): Promise<OpenServerStore<MysqlEventStore>> {
  const prefix = `${names.next(kind)}_`;
  const store = createMysqlEventStore({
    connection: MYSQL_URL,
    tablePrefix: prefix,
    poolSize: POOL_SIZE,
  });
  await store.migrate();
  await openConnections(store);
  return {
    store,
    location: prefix,
    async cleanup() {
      await store.close();
      const admin = mysqlPool(MYSQL_URL, 1);
      try {
        await dropMysqlTables(admin, prefix);
      } finally {
        await admin.end();
      }
    },
  };
}
