import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, type SqliteDatabase, type SqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

/** Reads a PRAGMA on the store's own connection, from inside an append. */
async function pragmas<DB extends SqliteDatabase>(store: SqliteEventStore<DB>, names: string[]) {
  const values: Record<string, unknown> = {};
  const stop = store.onAppend(({ db }) => {
    for (const name of names) values[name] = (db.prepare(`PRAGMA ${name}`).raw().get() as unknown[])[0];
  });
  await store.append(`probe-${Math.random()}`, [{ type: 'probe', data: {} }]);
  stop();
  return values;
}

describe('options', () => {
  it('opens files in WAL mode with synchronous=FULL and a 5 s busy timeout by default', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    expect(await pragmas(store, ['journal_mode', 'synchronous', 'busy_timeout'])).toEqual({
      journal_mode: 'wal',
      synchronous: 2,
      busy_timeout: 5000,
    });
    await store.close();
  });

  it('applies synchronous=NORMAL and the busy timeout when asked', async () => {
    const store = createSqliteEventStore({
      database: databases.path(),
      synchronous: 'NORMAL',
      busyTimeoutMs: 123,
    });
    expect(await pragmas(store, ['synchronous', 'busy_timeout'])).toEqual({
      synchronous: 1,
      busy_timeout: 123,
    });
    await store.close();
  });

  it("configures a caller's Database and never closes it", async () => {
    const db = databases.raw(databases.path());
    const store = createSqliteEventStore({ database: db, synchronous: 'FULL' });
    await store.append('s', [{ type: 'a', data: {} }]);
    await store.close();
    expect(db.open).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT count(*) FROM strata_events').pluck().get()).toBe(1);
  });

  it("ignores a caller's defaultSafeIntegers setting", async () => {
    const db = databases.raw(databases.path());
    db.defaultSafeIntegers(true);
    const store = createSqliteEventStore({ database: db });
    await store.append('s', [{ type: 'a', data: {} }]);
    const [stored] = await store.readStream('s');
    expect(stored).toMatchObject({ version: 1, schemaVersion: 1, position: 1n });
    expect(await store.streamVersion('s')).toBe(1);
    await store.close();
  });

  it('appends inside a transaction the caller holds open, committing or rolling back with it', async () => {
    const db = databases.raw(databases.path());
    const store = createSqliteEventStore({ database: db });
    await store.append('s', [{ type: 'a', data: {} }]);
    db.exec('BEGIN IMMEDIATE');
    await store.append('s', [{ type: 'b', data: {} }]);
    expect(await store.streamVersion('s')).toBe(2);
    db.exec('ROLLBACK');
    expect(await store.streamVersion('s')).toBe(1);
    db.exec('BEGIN');
    await store.append('s', [{ type: 'c', data: {} }]);
    db.exec('COMMIT');
    expect((await store.readStream('s')).map((e) => e.type)).toEqual(['a', 'c']);
    await store.close();
  });

  it('rejects invalid options with ValidationError', () => {
    const path = databases.path();
    for (const options of [
      { database: 42 },
      { database: {} },
      { database: path, synchronous: 'OFF' },
      { database: path, busyTimeoutMs: -1 },
      { database: path, busyTimeoutMs: 1.5 },
      { database: path, migrate: 'yes' },
      { database: path, typeIndex: 'yes' },
      { database: path, tablePrefix: 'bad prefix' },
    ]) {
      expect(() => createSqliteEventStore(options as never)).toThrow(ValidationError);
    }
    expect(() => createSqliteEventStore(undefined as never)).toThrow(ValidationError);
  });
});
