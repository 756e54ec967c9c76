import { uuidv7 } from '@strata/core';
import { migrate } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import type { SeedPlan } from '../bench-target.js';
import { benchEvent } from '../workloads/bench-events.js';
import { FLOOR_TABLE, MINIMAL_TABLE } from './minimal-event.js';
import { SQLITE_FLOOR_SCHEMA, SQLITE_MINIMAL_SCHEMA } from './sqlite-minimal-store.js';
import { sqliteRawInsert } from './sqlite-raw-sql.js';

/**
 * An empty database file in WAL mode with the store's tables, created by the store's own
 * migrations, and the minimal store's and the floor's tables beside them.
 */
export function createSqliteSchema(path: string): void {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db);
    db.exec(SQLITE_MINIMAL_SCHEMA);
    db.exec(SQLITE_FLOOR_SCHEMA);
  } finally {
    db.close();
  }
}

/**
 * Preloads a plan in one transaction with the store's own insert statements, so the seeded rows
 * are exactly what appends would have written, in a fraction of the time. Streams are filled
 * round-robin so the global log interleaves them as a real one does; the minimal store's and the
 * floor's tables get a copy of them. The WAL is checkpointed into
 * the main file, so the file alone can be copied.
 */
export function seedSqlite(path: string, plan: SeedPlan): void {
  const db = new BetterSqlite3(path);
  try {
    const insertEvent = db.prepare(sqliteRawInsert(1));
    const now = Date.now();
    db.transaction(() => {
      let n = 0;
      for (let version = 1; version <= plan.eventsPerStream; version++) {
        for (const streamId of plan.streamIds) {
          const event = benchEvent(n);
          const data = JSON.stringify(event.data);
          const metadata = JSON.stringify(event.metadata);
          n++;
          insertEvent.run([uuidv7(), event.type, data, metadata, 1, now], {
            position: n - 1,
            streamId,
            streamType: 'default',
            version: version - 1,
            recordedAt: now,
          });
        }
      }
      // The minimal store gets the same events in the same global order.
      db.exec(
        `INSERT INTO "${MINIMAL_TABLE}" (stream_id, stream_type, event_type, data, metadata, version, occurred_at)
         SELECT stream_id, stream_type, event_type, data, metadata, version, occurred_at
           FROM "strata_events" ORDER BY position`,
      );
      db.exec(
        `INSERT INTO "${FLOOR_TABLE}" (id, stream_id, stream_type, event_type, data, metadata, schema_version,
           version, occurred_at, recorded_at)
         SELECT id, stream_id, stream_type, event_type, data, metadata, schema_version, version, occurred_at,
                recorded_at
           FROM "strata_events" ORDER BY position`,
      );
    }).immediate();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
