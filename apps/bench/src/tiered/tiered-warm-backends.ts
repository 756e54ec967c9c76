import type { EventStore } from '@strata/core';
import { createMysqlEventStore } from '@strata/store-mysql';
import { createPostgresEventStore } from '@strata/store-postgres';
import pg from 'pg';
import { BenchObjectNames } from '../bench-object-names.js';
import { dropMysqlTables } from '../targets/mysql-bench-schema.js';
import { mysqlPool } from '../targets/mysql-raw-baseline.js';
import { MYSQL_URL, probeMysql } from '../targets/mysql-target.js';
import { POSTGRES_URL, probePostgres } from '../targets/postgres-target.js';

/** A warm store on a server, under a schema or table prefix of its own. */
export interface OpenWarm {
  store: EventStore;
  /** Closes the store and drops its schema or tables (nothing else). */
  cleanup(): Promise<void>;
}

/** A warm tier the tiered suite runs over. */
export interface TieredBackend {
  /** e.g. `tiered-mysql`; `--target` also matches `tiered` and the warm family. */
  readonly name: string;
  /** The throughput target family of the warm store: `postgres` or `mysql`. */
  readonly warmFamily: string;
  readonly label: string;
  probe(): Promise<string | undefined>;
  open(): Promise<OpenWarm>;
}

export const tieredBackendKeys = (backend: TieredBackend): readonly string[] => [
  backend.name,
  'tiered',
  backend.warmFamily,
];

const names = new BenchObjectNames('strata_bench_');

/** Connections in the warm stores' pools (their default size). */
const WARM_POOL_SIZE = 10;

/**
 * Opens every pooled connection before measuring: a background read-back that has to open a new
 * connection waits tens of milliseconds on a busy machine, and meanwhile the copy it would extend
 * falls behind and is dropped.
 */
async function openConnections(store: EventStore): Promise<void> {
  await Promise.all(Array.from({ length: WARM_POOL_SIZE }, () => store.readStream('bench-open')));
}

export const postgresWarmBackend: TieredBackend = {
  name: 'tiered-postgres',
  warmFamily: 'postgres',
  label: 'PostgreSQL warm',
  probe: () => probePostgres(POSTGRES_URL),
  async open() {
    const schema = names.next('tier');
    const store = await createPostgresEventStore({
      connectionString: POSTGRES_URL,
      schema,
      poolSize: WARM_POOL_SIZE,
    });
    await openConnections(store);
    return {
      store,
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
  },
};

export const mysqlWarmBackend: TieredBackend = {
  name: 'tiered-mysql',
  warmFamily: 'mysql',
  label: 'MySQL warm (MariaDB)',
  probe: () => probeMysql(MYSQL_URL),
  async open() {
    const prefix = `${names.next('tier')}_`;
    const store = createMysqlEventStore({
      connection: MYSQL_URL,
      tablePrefix: prefix,
      poolSize: WARM_POOL_SIZE,
    });
    await store.migrate();
    await openConnections(store);
    return {
      store,
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
  },
};

/** In report order: the latency goal is stated against MySQL warm alone. */
export const TIERED_BACKENDS: readonly TieredBackend[] = [mysqlWarmBackend, postgresWarmBackend];
