import { createSqliteEventStore } from '@strata/store-sqlite';
import type { BenchScale } from '../bench-scale.js';
import type { BenchTarget } from '../bench-target.js';
import { SeedTemplateCache } from '../seed-template-cache.js';
import { createTempDatabaseFile } from '../temp-database.js';
import { SQLITE_MINIMAL_TARGETS } from './minimal-event.js';
import { createSqliteSchema, seedSqlite } from './sqlite-bulk-seed.js';
import { SqliteMinimalStore } from './sqlite-minimal-store.js';
import { SqliteRawBaseline, type SqliteSynchronous } from './sqlite-raw-baseline.js';

/** Raw better-sqlite3 (WAL) events/s measured on the reference machine (2 cores), for comparison. */
const RAW_REFERENCE: Record<SqliteSynchronous, BenchTarget['rawReference']> = {
  NORMAL: { W1: 13_336, W3: 68_290, W4: 160_868, W5: 141_196 },
  // Reads do not depend on `synchronous`, so the read references hold for both settings.
  FULL: { W1: 4_285, W4: 160_868, W5: 141_196 },
};

/** At FULL every single-event commit waits for an fsync: a fifth of the appends keeps the run short. */
const FULL_SINGLE_APPEND_SHARE = 5;

/** The SQLite store at one `synchronous` setting, with both sides at that same setting. */
export function sqliteTarget(synchronous: SqliteSynchronous): BenchTarget {
  const name = `sqlite-${synchronous.toLowerCase()}`;
  const templates = new SeedTemplateCache(name, 'bench.db', async (path, plan) => {
    createSqliteSchema(path);
    seedSqlite(path, plan);
  });
  return {
    name,
    family: 'sqlite',
    label: `sqlite synchronous=${synchronous}`,
    goals: { W1: 0.8, W3: 0.8, W4: 0.9, W5: 0.9 },
    rawReference: RAW_REFERENCE[synchronous],
    rawBaseline: `better-sqlite3 running the store's SQL (WAL, synchronous=${synchronous})`,
    minimal: {
      description:
        'one table minimal_events (rowid position, unique (stream_id, version)) in the same file: BEGIN IMMEDIATE, ' +
        'SELECT COALESCE(MAX(version), 0), one multi-row INSERT, COMMIT',
      targets: SQLITE_MINIMAL_TARGETS,
    },
    floor: {
      description:
        "the minimal store plus the input checks (core's prepareAppend, before BEGIN), a unique event id (UUID v7 text, as the store makes them) in table floor_events, " +
        'the index that idempotent retries and store-wide id uniqueness need, and the schema version and ' +
        'recording time; its reads return the stored id, schema version and recording time, as the contract asks',
    },
    notes: [
      'SQLite W2: better-sqlite3 is synchronous, so the 8 appenders interleave at their awaits but ' +
        'every transaction runs alone; W2 shows the cost of promise-level concurrency, not parallel writes.',
    ],
    scaleFor(scale: BenchScale): BenchScale {
      if (synchronous === 'NORMAL') return scale;
      return { ...scale, singleAppends: Math.floor(scale.singleAppends / FULL_SINGLE_APPEND_SHARE) };
    },
    async setup() {
      const file = await createTempDatabaseFile(name, 'bench.db');
      // The schema comes from the store's own migrations, so adapter and raw run on identical tables.
      createSqliteSchema(file.path);
      return {
        async createStore() {
          const store = createSqliteEventStore({ database: file.path, synchronous });
          // The store opens lazily: open it now so the timed part does not pay for it (raw opens in its constructor).
          await store.streamVersion('bench-open');
          return store;
        },
        openRaw: async () => SqliteRawBaseline.open(file.path, synchronous),
        openMinimal: async () => SqliteMinimalStore.open(file.path, synchronous),
        openFloor: async () => SqliteMinimalStore.openFloor(file.path, synchronous),
        seed: (plan) => templates.copyTo(file.path, plan),
        teardown: () => file.remove(),
      };
    },
    dispose: () => templates.clear(),
  };
}

export const sqliteNormalTarget = sqliteTarget('NORMAL');
export const sqliteFullTarget = sqliteTarget('FULL');
