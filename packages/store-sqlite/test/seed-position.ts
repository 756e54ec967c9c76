import type { EventStore } from '@strata/core';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Raises the position floor (through `raw`, a second connection to the store's file) so that the
 * store's next append takes `lastPosition + 1`, as if events up to it had been written and
 * deleted. Resolves to `store`.
 */
export async function seedLastPosition<S extends EventStore>(
  store: S,
  raw: BetterSqlite3.Database,
  lastPosition: bigint,
): Promise<S> {
  // The first call creates the tables.
  await store.streamVersion('seed');
  raw.defaultSafeIntegers(true);
  raw.prepare('UPDATE strata_position_floor SET position = ?').run(lastPosition);
  raw.close();
  return store;
}
