import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrate } from '../sqlite-migrate.js';

/**
 * The event type every kit database refuses, through a trigger, as a user's schema might: what the
 * conformance kit's `refusedEvent` option needs to check that a refused append writes nothing.
 */
export const REFUSED_EVENT_TYPE = 'conformance.refused-by-trigger';

/** Creates the tables in `path` (default prefix) and the trigger that refuses `REFUSED_EVENT_TYPE`. */
export function prepareKitDatabase(path: string): void {
  const db = new BetterSqlite3(path);
  try {
    migrate(db);
    db.exec(`CREATE TRIGGER IF NOT EXISTS conformance_refusal BEFORE INSERT ON strata_events
      WHEN NEW.event_type = '${REFUSED_EVENT_TYPE}' BEGIN SELECT RAISE(ABORT, 'refused by the test schema'); END`);
  } finally {
    db.close();
  }
}

/** Makes the next append in `path` take `lastPosition + 1`, as if events up to it had been written and deleted. */
export function raisePositionFloor(path: string, lastPosition: bigint): void {
  const db = new BetterSqlite3(path);
  try {
    migrate(db);
    db.defaultSafeIntegers(true);
    db.prepare('UPDATE strata_position_floor SET position = ?').run(lastPosition);
  } finally {
    db.close();
  }
}

/**
 * Another connection takes `path`'s write lock, as another process would: the kit's outage. Stores
 * opened with a short `busyTimeoutMs` then fail fast with `StoreUnavailableError`.
 */
export function holdWriteLock(path: string): { release(): void } {
  const holder = new BetterSqlite3(path);
  holder.exec('BEGIN IMMEDIATE');
  return {
    release() {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    },
  };
}

/** A temp folder of database files; `remove()` deletes it (call it after the tests). */
export function kitFiles(): { path(): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-kit-'));
  return {
    path: () => join(dir, `${randomUUID()}.db`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
