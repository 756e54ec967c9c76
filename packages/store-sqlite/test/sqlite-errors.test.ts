import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConcurrencyError, StoreUnavailableError, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, migrate } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const event = { type: 'a', data: {} };

function unavailableWith(code: string | RegExp) {
  return (error: unknown) =>
    StoreUnavailableError.isInstance(error) &&
    error.store === 'sqlite' &&
    new RegExp(code).test(`${(error.cause as { code?: string } | undefined)?.code} ${error.message}`);
}

describe('error mapping', () => {
  it('reports a write lock held past the busy timeout as StoreUnavailableError, then recovers', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path, busyTimeoutMs: 20 });
    await store.append('s', [event]);
    const other = databases.raw(path);
    other.exec('BEGIN IMMEDIATE');

    await expect(store.append('s', [event])).rejects.toSatisfy(unavailableWith('SQLITE_BUSY'));
    // WAL: readers are not blocked by the writer.
    expect(await store.streamVersion('s')).toBe(1);

    other.exec('ROLLBACK');
    await store.append('s', [event]);
    expect(await store.streamVersion('s')).toBe(2);

    other.exec('BEGIN EXCLUSIVE');
    await expect(
      store.snapshots.saveSnapshot({ streamId: 's', version: 2, stateVersion: 1, state: {} }),
    ).rejects.toSatisfy(unavailableWith('SQLITE_BUSY'));
    await expect(store.checkpoints.saveCheckpoint('p', 1n)).rejects.toSatisfy(unavailableWith('SQLITE_BUSY'));
    other.exec('COMMIT');
    await store.checkpoints.saveCheckpoint('p', 1n);
    await store.close();
  });

  it('recovers when the file was locked while the store first opened (and migrated) it', async () => {
    const path = databases.path();
    const other = databases.raw(path);
    other.exec('PRAGMA journal_mode = WAL');
    other.exec('BEGIN IMMEDIATE');
    const store = createSqliteEventStore({ database: path, busyTimeoutMs: 20 });
    await expect(store.readAll()).rejects.toSatisfy(unavailableWith('SQLITE_BUSY'));
    other.exec('ROLLBACK');
    await store.append('s', [event]);
    expect(await store.readAll()).toHaveLength(1);
    await store.close();
  });

  it('reports migrate() on a locked file as StoreUnavailableError', () => {
    const path = databases.path();
    const holder = databases.raw(path);
    holder.exec('BEGIN IMMEDIATE');
    const db = databases.raw(path);
    db.exec('PRAGMA busy_timeout = 20');
    expect(() => migrate(db)).toThrow(StoreUnavailableError);
    holder.exec('ROLLBACK');
    expect(migrate(db).applied).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reports a missing folder and a file that is not a database as StoreUnavailableError', async () => {
    const missing = createSqliteEventStore({ database: join(databases.path(), 'nested', 'x.db') });
    await expect(missing.append('s', [event])).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await expect(missing.readAll()).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await missing.close();

    const garbage = databases.path();
    writeFileSync(garbage, 'this is not an SQLite database, just some text that is long enough'.repeat(100));
    const store = createSqliteEventStore({ database: garbage });
    await expect(store.readStream('s')).rejects.toSatisfy(unavailableWith('SQLITE_NOTADB'));
    await store.close();
  });

  it('reports a caller database closed by its owner as StoreUnavailableError', async () => {
    const db = databases.raw(databases.path());
    const store = createSqliteEventStore({ database: db });
    await store.append('s', [event]);
    db.close();
    await expect(store.append('s', [event])).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await expect(store.readStream('s')).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await expect(store.checkpoints.loadCheckpoint('p')).rejects.toSatisfy(StoreUnavailableError.isInstance);
  });

  it('a unique violation that is no version race is never a driver error, and a conflict only when the version was wrong', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event, event]);
    // A constraint added around the store (say, by a hand-written migration) refuses the insert.
    databases
      .raw(path)
      .exec('CREATE UNIQUE INDEX strata_test_one_late ON strata_events (stream_id) WHERE version >= 2');
    // Version 2 satisfies 'any' and 2: the stream did not move, the table refused the row.
    for (const expectedVersion of ['any', 2] as const) {
      const error = await store.append('s', [event], { expectedVersion }).catch((e: unknown) => e);
      expect(ConcurrencyError.isInstance(error), String(error)).toBe(false);
      expect(error).toSatisfy(unavailableWith('SQLITE_CONSTRAINT'));
    }
    await expect(store.append('s', [event], { expectedVersion: 1 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    expect(await store.readStream('s')).toHaveLength(2);
    await store.close();
  });

  it('reports tables dropped under the store as StoreUnavailableError', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event]);
    databases.raw(path).exec('DROP TABLE strata_snapshots');
    await expect(store.snapshots.loadSnapshot('s')).rejects.toSatisfy(unavailableWith('no such table'));
    await store.close();
  });

  it('reports data the database refuses (a trigger, a CHECK) as ValidationError, never retryable', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.append('s', [event]);
    databases
      .raw(path)
      .exec(
        "CREATE TRIGGER refuse_marked BEFORE INSERT ON strata_events WHEN NEW.event_type = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by the schema'); END",
      );
    const error = await store.append('s', [event, { type: 'refused', data: {} }]).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    expect((error as ValidationError).path).toBe('events');
    expect((error as Error).cause).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(await store.streamVersion('s')).toBe(1);
    await expect(store.append('s', [event])).resolves.toMatchObject({ firstVersion: 2 });
    await store.close();
  });
});
