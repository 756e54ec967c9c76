import type { EventStore } from '@strata/core';
import { openMysqlBenchStore, openPostgresBenchStore } from '../bench-server-stores.js';
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

export const postgresWarmBackend: TieredBackend = {
  name: 'tiered-postgres',
  warmFamily: 'postgres',
  label: 'PostgreSQL warm',
  probe: () => probePostgres(POSTGRES_URL),
  open: () => openPostgresBenchStore('tier'),
};

export const mysqlWarmBackend: TieredBackend = {
  name: 'tiered-mysql',
  warmFamily: 'mysql',
  label: 'MySQL warm (MariaDB)',
  probe: () => probeMysql(MYSQL_URL),
  open: () => openMysqlBenchStore('tier'),
};

/** In report order: the latency goal is stated against MySQL warm alone. */
export const TIERED_BACKENDS: readonly TieredBackend[] = [mysqlWarmBackend, postgresWarmBackend];
