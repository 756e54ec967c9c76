import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { createSqliteEventStore, migrate } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { createTieredEventStore } from '../src/index.js';
import { tempSqliteFiles } from './support/temp-sqlite.js';
import { tieredKit, type WarmFactory } from './support/tiered-kit.js';

const files = tempSqliteFiles();
const lockHolders = new Map<string, BetterSqlite3.Database>();

// The warm schema refuses this event type, as a user's trigger might.
const REFUSED_TYPE = 'conformance.refused-by-trigger';
const refusedEvent = () => ({ type: REFUSED_TYPE, data: {} });

function installRefusal(path: string): void {
  const db = new BetterSqlite3(path);
  migrate(db);
  db.exec(`CREATE TRIGGER IF NOT EXISTS conformance_refusal BEFORE INSERT ON strata_events
    WHEN NEW.event_type = '${REFUSED_TYPE}' BEGIN SELECT RAISE(ABORT, 'refused by the test schema'); END`);
  db.close();
}

// A short busy timeout: an outage (another connection holding SQLite's write lock) fails fast.
const openSqlite = (path: string) => {
  installRefusal(path);
  return createSqliteEventStore({ database: path, busyTimeoutMs: 50, synchronous: 'NORMAL' });
};

/** A new database file whose log continues after `lastPosition` (its position floor raised). */
async function seededFile(lastPosition: bigint): Promise<string> {
  const path = files.path();
  const warm = openSqlite(path);
  await warm.streamVersion('seed'); // creates the tables
  await warm.close();
  const raw = new BetterSqlite3(path);
  try {
    raw.defaultSafeIntegers(true);
    raw.prepare('UPDATE strata_position_floor SET position = ?').run(lastPosition);
  } finally {
    raw.close();
  }
  return path;
}

const sqlite: WarmFactory<string> = {
  async create() {
    const path = files.path();
    return { warm: openSqlite(path), storage: path };
  },
  createPeer: async (path) => openSqlite(path),
  async seed(lastPosition) {
    const path = await seededFile(lastPosition);
    return { warm: openSqlite(path), storage: path };
  },
  outage: {
    async begin(path) {
      const holder = new BetterSqlite3(path);
      holder.exec('BEGIN IMMEDIATE');
      lockHolders.set(path, holder);
    },
    async end(path) {
      const holder = lockHolders.get(path);
      lockHolders.delete(path);
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
    },
  },
};

describeEventStore('tiered: Redis hot tier over SQLite, strict', {
  ...tieredKit(sqlite),
  refusedEvent,
  scale: { largeStreamEvents: 2_000 },
});

describeEventStore('tiered: Redis hot tier over SQLite, bounded with a 0 ms bound', {
  ...tieredKit(sqlite, { consistency: 'bounded', maxStalenessMs: 0 }),
  refusedEvent,
  scale: { largeStreamEvents: 2_000, raceRepetitions: 3, propertyRuns: 10 },
});

// The seed's development configuration (hot.enabled: false): no hot tier, the warm store as it is.
const warmOf = new WeakMap<EventStore, { warm: EventStore; path: string }>();
const noHot = (path: string) => {
  const warm = openSqlite(path);
  const store = createTieredEventStore({ warm });
  warmOf.set(store, { warm, path });
  return store;
};
describeEventStore('tiered: no hot tier (the warm store as it is)', {
  create: async () => noHot(files.path()),
  createPeer: async (store) => noHot(warmOf.get(store)!.path),
  seedPosition: async (lastPosition) => noHot(await seededFile(lastPosition)),
  outage: {
    begin: (store) => sqlite.outage!.begin(warmOf.get(store)!.path),
    end: (store) => sqlite.outage!.end(warmOf.get(store)!.path),
  },
  refusedEvent,
  dispose: async (store) => {
    await store.close();
    await warmOf.get(store)!.warm.close();
  },
  scale: { largeStreamEvents: 1_000, raceRepetitions: 2, propertyRuns: 5 },
});
