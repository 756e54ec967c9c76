import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import type BetterSqlite3 from 'better-sqlite3';
import { createSqliteEventStore, migrate } from '../src/index.js';
import { seedLastPosition } from './seed-position.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const fileOf = new WeakMap<EventStore, string>();
const lockHolders = new WeakMap<EventStore, BetterSqlite3.Database>();

// The schema of every test database refuses this event type, as a user's trigger might.
const REFUSED_TYPE = 'conformance.refused-by-trigger';

function installRefusal(path: string): void {
  const db = databases.raw(path);
  migrate(db);
  db.exec(`CREATE TRIGGER IF NOT EXISTS conformance_refusal BEFORE INSERT ON strata_events
    WHEN NEW.event_type = '${REFUSED_TYPE}' BEGIN SELECT RAISE(ABORT, 'refused by the test schema'); END`);
  db.close();
}

function open(path: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): EventStore {
  installRefusal(path);
  // A short busy timeout: an outage (another connection holding the write lock) fails fast.
  const store = createSqliteEventStore({ database: path, busyTimeoutMs: 50, synchronous });
  fileOf.set(store, path);
  return store;
}

const sqliteCapabilities = {
  refusedEvent: () => ({ type: REFUSED_TYPE, data: {} }),
  // Another connection to the same file, as another process would open it.
  createPeer: async (store: EventStore) => open(fileOf.get(store)!),
  // A fresh file whose AUTOINCREMENT counter is moved to the end of the position range.
  seedPosition: async (lastPosition: bigint) => {
    const path = databases.path();
    return seedLastPosition(open(path), databases.raw(path), lastPosition);
  },
  // Another connection holds SQLite's write lock until the outage ends.
  outage: {
    begin: async (store: EventStore) => {
      const holder = databases.raw(fileOf.get(store)!);
      holder.exec('BEGIN IMMEDIATE');
      lockHolders.set(store, holder);
    },
    end: async (store: EventStore) => {
      const holder = lockHolders.get(store);
      lockHolders.delete(store);
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
    },
  },
};

describeEventStore('SqliteEventStore, a fresh file per test', {
  create: async () => open(databases.path()),
  ...sqliteCapabilities,
});

// One file for every test, so each runs next to other tests' streams, with the faster durability setting.
const shared = databases.path();
describeEventStore('SqliteEventStore, one file shared by every test, synchronous NORMAL', {
  create: async () => open(shared, 'NORMAL'),
  ...sqliteCapabilities,
  scale: { largeStreamEvents: 2_000, propertyRuns: 10 },
});
