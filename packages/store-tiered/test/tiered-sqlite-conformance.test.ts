import { describeEventStore } from '@strata/conformance';
import { createSqliteEventStore } from '@strata/store-sqlite';
import {
  holdWriteLock,
  prepareKitDatabase,
  REFUSED_EVENT_TYPE,
  raisePositionFloor,
  sqliteKitTarget,
} from '@strata/store-sqlite/testing';
import { afterAll } from 'vitest';
import { createTieredEventStore } from '../src/index.js';
import { tempSqliteFiles } from './support/temp-sqlite.js';
import { tieredKit, type WarmFactory } from './support/tiered-kit.js';

const files = tempSqliteFiles();
const lockHolders = new Map<string, { release(): void }>();
const refusedEvent = () => ({ type: REFUSED_EVENT_TYPE, data: {} });

// A short busy timeout: an outage (another connection holding SQLite's write lock) fails fast.
const openSqlite = (path: string) => {
  prepareKitDatabase(path);
  return createSqliteEventStore({ database: path, busyTimeoutMs: 50, synchronous: 'NORMAL' });
};

const sqlite: WarmFactory<string> = {
  async create() {
    const path = files.path();
    return { warm: openSqlite(path), storage: path };
  },
  createPeer: async (path) => openSqlite(path),
  async seed(lastPosition) {
    const path = files.path();
    raisePositionFloor(path, lastPosition);
    return { warm: openSqlite(path), storage: path };
  },
  outage: {
    async begin(path) {
      lockHolders.set(path, holdWriteLock(path));
    },
    async end(path) {
      lockHolders.get(path)?.release();
      lockHolders.delete(path);
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
const noHot = sqliteKitTarget({ wrap: (warm) => createTieredEventStore({ warm }), synchronous: 'NORMAL' });
afterAll(noHot.removeFiles);
describeEventStore('tiered: no hot tier (the warm store as it is)', {
  ...noHot,
  scale: { largeStreamEvents: 1_000, raceRepetitions: 2, propertyRuns: 5 },
});
