// A separate process for the multi-process test: it waits for "go", then migrates the file and
// appends with optimistic concurrency, so several processes hit one fresh file at the same moment.
import { ConcurrencyError } from '@strata/core';
import BetterSqlite3 from 'better-sqlite3';
import { createSqliteEventStore, migrate } from '../src/index.js';

const [path, appends] = process.argv.slice(2) as [string, string];

async function run(): Promise<{ applied: number[]; conflicts: number }> {
  const db = new BetterSqlite3(path, { timeout: 10_000 });
  const { applied } = migrate(db);
  const store = createSqliteEventStore({ database: db, busyTimeoutMs: 10_000, synchronous: 'NORMAL' });
  let conflicts = 0;
  for (let i = 0; i < Number(appends); i++) {
    for (;;) {
      const version = await store.streamVersion('shared');
      try {
        await store.append('shared', [{ type: 'tick', data: { pid: process.pid, i } }], {
          expectedVersion: version,
        });
        break;
      } catch (error) {
        if (!ConcurrencyError.isInstance(error)) throw error;
        conflicts++;
      }
    }
  }
  await store.close();
  db.close();
  return { applied, conflicts };
}

process.on('message', () => {
  run().then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
process.send?.('ready');
