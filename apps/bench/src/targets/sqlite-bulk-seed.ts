import { uuidv7 } from '@strata/core';
import { migrate } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import type { SeedPlan } from '../bench-target.js';
import { benchEvent } from '../workloads/bench-events.js';
import { SQLITE_RAW_SQL } from './sqlite-raw-sql.js';

/** An empty database file in WAL mode with the store's tables, created by the store's own migrations. */
export function createSqliteSchema(path: string): void {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db);
  } finally {
    db.close();
  }
}

/**
 * Preloads a plan in one transaction with the store's own insert statements, so the seeded rows
 * are exactly what appends would have written, in a fraction of the time. Streams are filled
 * round-robin so the global log interleaves them as a real one does. The WAL is checkpointed into
 * the main file, so the file alone can be copied.
 */
export function seedSqlite(path: string, plan: SeedPlan): void {
  const db = new BetterSqlite3(path);
  try {
    const insertEvent = db.prepare(SQLITE_RAW_SQL.insertEvent);
    const insertStream = db.prepare(SQLITE_RAW_SQL.insertStream);
    const now = Date.now();
    db.transaction(() => {
      let n = 0;
      for (let version = 1; version <= plan.eventsPerStream; version++) {
        for (const streamId of plan.streamIds) {
          const event = benchEvent(n++);
          const data = JSON.stringify(event.data);
          const metadata = JSON.stringify(event.metadata);
          insertEvent.run(uuidv7(), streamId, 'default', event.type, data, metadata, version, 1, now, now);
        }
      }
      for (const streamId of plan.streamIds) insertStream.run(streamId, 'default', plan.eventsPerStream);
    }).immediate();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
