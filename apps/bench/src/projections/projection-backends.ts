import type { EventStore } from '@strata/core';
import { createSqliteEventStore } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openMysqlBenchStore, openPostgresBenchStore } from '../bench-server-stores.js';
import type { BenchLocation } from '../snapshots/snapshot-backends.js';
import { MYSQL_URL, probeMysql } from '../targets/mysql-target.js';
import { POSTGRES_URL, probePostgres } from '../targets/postgres-target.js';
import { createTempDatabaseFile } from '../temp-database.js';
import { mysqlProjectionReadModel } from './mysql-projection-read-model.js';
import { postgresProjectionReadModel } from './postgres-projection-read-model.js';
import type { ProjectionReadModel } from './projection-read-model.js';
import { sqliteProjectionReadModel } from './sqlite-projection-read-model.js';

/** One target's store and read model, opened for a run under objects of its own. */
export interface OpenProjectionTarget {
  store: EventStore;
  /** Its transaction handle's type is the backend's own: nothing outside the read model touches it. */
  readModel: ProjectionReadModel<unknown>;
  locations: readonly BenchLocation[];
  /** Closes the store and deletes everything in `locations` (nothing else). */
  cleanup(): Promise<void>;
}

export interface ProjectionBackend {
  readonly name: string;
  readonly label: string;
  /** What `--target` may name to select it. */
  readonly keys: readonly string[];
  probe(): Promise<string | undefined>;
  open(): Promise<OpenProjectionTarget>;
}

export const projectionBackendKeys = (backend: ProjectionBackend): readonly string[] => backend.keys;

export const sqliteProjectionBackend: ProjectionBackend = {
  name: 'sqlite',
  label: 'SQLite (synchronous=FULL)',
  keys: ['sqlite'],
  probe: async () => undefined,
  async open() {
    const file = await createTempDatabaseFile('projections', 'bench.db');
    // The store and the read model share one connection, as one process's application would.
    const db = new BetterSqlite3(file.path);
    const store = createSqliteEventStore({ database: db });
    await store.readStream('bench-open'); // configures (WAL, FULL) and migrates the connection
    const readModel = sqliteProjectionReadModel(store, db);
    await readModel.create();
    return {
      store,
      readModel,
      locations: [{ kind: 'sqlite file', name: file.path }],
      async cleanup() {
        try {
          await store.close();
          db.close();
        } finally {
          await file.remove();
        }
      },
    };
  },
};

export const postgresProjectionBackend: ProjectionBackend = {
  name: 'postgres',
  label: 'PostgreSQL',
  keys: ['postgres'],
  probe: () => probePostgres(POSTGRES_URL),
  async open() {
    const open = await openPostgresBenchStore('proj');
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    const readModel = postgresProjectionReadModel(open.store, pool, open.location);
    await readModel.create();
    return {
      store: open.store,
      readModel,
      locations: [{ kind: 'postgres schema', name: open.location }],
      async cleanup() {
        try {
          await pool.end();
        } finally {
          await open.cleanup();
        }
      },
    };
  },
};

export const mysqlProjectionBackend: ProjectionBackend = {
  name: 'mysql',
  label: 'MySQL/MariaDB',
  keys: ['mysql'],
  probe: () => probeMysql(MYSQL_URL),
  async open() {
    const open = await openMysqlBenchStore('proj');
    const readModel = mysqlProjectionReadModel(open.store, open.location);
    await readModel.create();
    return {
      store: open.store,
      readModel,
      locations: [{ kind: 'mysql table prefix', name: open.location }],
      cleanup: open.cleanup,
    };
  },
};

/** The three SQL engines issue 10 names, in its order. */
export const PROJECTION_BACKENDS: readonly ProjectionBackend[] = [
  sqliteProjectionBackend,
  postgresProjectionBackend,
  mysqlProjectionBackend,
];
