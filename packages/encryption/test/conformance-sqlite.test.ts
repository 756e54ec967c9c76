import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { createSqliteEventStore, migrate } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll } from 'vitest';
import { withEncryption } from '../src/index.js';
import { conformanceEncryption } from './conformance-encryption.js';

// The wrapper over a real database, with every optional topic the SQLite adapter's own run has.
const dir = mkdtempSync(join(tmpdir(), 'strata-encryption-'));
const raws: BetterSqlite3.Database[] = [];
afterAll(() => {
  for (const db of raws) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function raw(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  raws.push(db);
  return db;
}

const REFUSED_TYPE = 'conformance.refused-by-trigger';
const innerOf = new WeakMap<EventStore, EventStore>();
const fileOf = new WeakMap<EventStore, string>();
const lockHolders = new WeakMap<EventStore, BetterSqlite3.Database>();
// One encryption (one key store) per database file, so a peer opens what the first instance wrote.
const encryptionOf = new Map<string, ReturnType<typeof conformanceEncryption>>();

function open(path: string): EventStore {
  const db = raw(path);
  migrate(db);
  db.exec(`CREATE TRIGGER IF NOT EXISTS conformance_refusal BEFORE INSERT ON strata_events
    WHEN NEW.event_type = '${REFUSED_TYPE}' BEGIN SELECT RAISE(ABORT, 'refused by the test schema'); END`);
  db.close();
  const inner = createSqliteEventStore({ database: path, busyTimeoutMs: 50 });
  let encryption = encryptionOf.get(path);
  if (encryption === undefined) {
    encryption = conformanceEncryption();
    encryptionOf.set(path, encryption);
  }
  const store = withEncryption(inner, encryption);
  innerOf.set(store, inner);
  fileOf.set(store, path);
  return store;
}

describeEventStore('withEncryption over SqliteEventStore', {
  create: async () => open(join(dir, `${randomUUID()}.db`)),
  createPeer: async (store) => open(fileOf.get(store)!),
  refusedEvent: () => ({ type: REFUSED_TYPE, data: {} }),
  // A fresh file whose position floor is raised so the next append takes `lastPosition + 1`.
  seedPosition: async (lastPosition) => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = open(path);
    await store.streamVersion('seed');
    const db = raw(path);
    db.defaultSafeIntegers(true);
    db.prepare('UPDATE strata_position_floor SET position = ?').run(lastPosition);
    db.close();
    return store;
  },
  // Another connection holds SQLite's write lock until the outage ends.
  outage: {
    begin: async (store) => {
      const holder = raw(fileOf.get(store)!);
      holder.exec('BEGIN IMMEDIATE');
      lockHolders.set(store, holder);
    },
    end: async (store) => {
      const holder = lockHolders.get(store);
      lockHolders.delete(store);
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
    },
  },
  // Closing the wrapper leaves the store it wraps open, as the contract asks of every wrapper.
  dispose: async (store) => {
    await store.close();
    await innerOf.get(store)!.close();
  },
  scale: { largeStreamEvents: 2_000, propertyRuns: 10 },
});
