import type { EventStore } from '@strata/core';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { openPostgresBenchStore } from '../bench-server-stores.js';
import type { BenchLocation } from '../snapshots/snapshot-backends.js';
import { POSTGRES_URL, probePostgres } from '../targets/postgres-target.js';
import { createTempDatabaseFile } from '../temp-database.js';

/** One target's store, opened for a run under objects of its own. */
export interface OpenWrapperTarget {
  store: EventStore;
  locations: readonly BenchLocation[];
  /** Closes the store and deletes everything in `locations` (nothing else). */
  cleanup(): Promise<void>;
}

export interface WrapperBackend {
  readonly name: string;
  readonly label: string;
  /** What `--target` may name to select it. */
  readonly keys: readonly string[];
  probe(): Promise<string | undefined>;
  open(): Promise<OpenWrapperTarget>;
}

export const wrapperBackendKeys = (backend: WrapperBackend): readonly string[] => backend.keys;

export const sqliteWrapperBackend: WrapperBackend = {
  name: 'sqlite',
  label: 'SQLite (synchronous=FULL)',
  keys: ['sqlite'],
  probe: async () => undefined,
  async open() {
    const file = await createTempDatabaseFile('wrappers', 'bench.db');
    const store = createSqliteEventStore({ database: file.path });
    return {
      store,
      locations: [{ kind: 'sqlite file', name: file.path }],
      async cleanup() {
        try {
          await store.close();
        } finally {
          await file.remove();
        }
      },
    };
  },
};

export const postgresWrapperBackend: WrapperBackend = {
  name: 'postgres',
  label: 'PostgreSQL',
  keys: ['postgres'],
  probe: () => probePostgres(POSTGRES_URL),
  async open() {
    const { store, location, cleanup } = await openPostgresBenchStore('wrap');
    return { store, locations: [{ kind: 'postgres schema', name: location }], cleanup };
  },
};

/** The two engines issue 11 names, in its order. */
export const WRAPPER_BACKENDS: readonly WrapperBackend[] = [sqliteWrapperBackend, postgresWrapperBackend];
