import type { EventStore } from '@strata/core';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Moves the events table's AUTOINCREMENT counter (through `raw`, a second connection to the
 * store's file) so that the store's next append takes `lastPosition + 1`. Resolves to `store`.
 */
export async function seedLastPosition<S extends EventStore>(
  store: S,
  raw: BetterSqlite3.Database,
  lastPosition: bigint,
): Promise<S> {
  // The first call creates the tables.
  await store.streamVersion('seed');
  raw.defaultSafeIntegers(true);
  raw.prepare(`DELETE FROM sqlite_sequence WHERE name = 'strata_events'`).run();
  raw.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('strata_events', ?)`).run(lastPosition);
  raw.close();
  return store;
}
