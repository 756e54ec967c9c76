import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StoreUnavailableError, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, migrate } from '../src/index.js';
import { migrateTo } from './migrate-to.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

function tables(db: ReturnType<typeof databases.raw>): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
  ).filter((name) => name !== 'sqlite_sequence');
}

describe('migrate', () => {
  it('creates the schema once; running it again is a no-op', () => {
    const db = databases.raw(databases.path());
    expect(migrate(db)).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7] });
    expect(migrate(db)).toEqual({ applied: [] });
    expect(tables(db)).toEqual([
      'strata_checkpoints',
      'strata_data_keys',
      'strata_dead_letters',
      'strata_deleted_heads',
      'strata_events',
      'strata_migrations',
      'strata_position_floor',
      'strata_snapshots',
      'strata_storage',
    ]);
    expect(db.prepare('SELECT version, name FROM strata_migrations').all()).toEqual([
      { version: 1, name: 'initial-schema' },
      { version: 2, name: 'storage-id' },
      { version: 3, name: 'checkpoint-fences' },
      { version: 4, name: 'dead-letters' },
      { version: 5, name: 'data-keys' },
      { version: 6, name: 'lean-append-path' },
      { version: 7, name: 'opt-in-type-index' },
    ]);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .pluck()
      .all();
    expect(indexes).toEqual(['strata_events_id', 'strata_events_stream_version']);
  });

  it('keeps stores with different prefixes apart in one file', async () => {
    const path = databases.path();
    const one = createSqliteEventStore({ database: path, tablePrefix: 'one_' });
    const two = createSqliteEventStore({ database: path, tablePrefix: 'two_' });
    await one.append('s', [{ type: 'a', data: {} }]);
    expect(await two.streamVersion('s')).toBe(0);
    expect(tables(databases.raw(path))).toContain('two_events');
    await one.close();
    await two.close();
  });

  it('rejects table prefixes that could inject SQL', () => {
    const db = databases.raw(databases.path());
    for (const tablePrefix of ['', '1abc', 'a-b', 'x"; DROP TABLE t; --', 'a'.repeat(32), 'é_']) {
      expect(() => migrate(db, { tablePrefix })).toThrow(ValidationError);
      expect(() => createSqliteEventStore({ database: db, tablePrefix })).toThrow(ValidationError);
    }
    expect(migrate(db, { tablePrefix: `_${'a'.repeat(30)}` }).applied).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(migrate(db, { tablePrefix: 'A1' }).applied).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('makes the storage id once per database and prefix: every store over it reports it', async () => {
    const path = databases.path();
    const one = createSqliteEventStore({ database: path });
    const id = await one.storageId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const two = createSqliteEventStore({ database: path });
    expect(await two.storageId()).toBe(id);
    expect(migrate(databases.raw(path)).applied).toEqual([]);
    const other = createSqliteEventStore({ database: path, tablePrefix: 'other_' });
    const elsewhere = createSqliteEventStore({ database: databases.path() });
    expect(new Set([id, await other.storageId(), await elsewhere.storageId()]).size).toBe(3);
    expect(databases.raw(path).prepare('SELECT count(*) FROM strata_storage').pluck().get()).toBe(1);
    for (const store of [one, two, other, elsewhere]) await store.close();
  });

  it('gives a database made before storage ids its id on upgrade, keeping its events', async () => {
    const path = databases.path();
    const raw = databases.raw(path);
    migrateTo(raw, 1);
    raw.exec(
      `INSERT INTO strata_events (id, stream_id, stream_type, event_type, data, metadata, version, schema_version, occurred_at, recorded_at)
         VALUES ('e1', 's', 'default', 'a', '{}', '{}', 1, 1, 0, 0);
       INSERT INTO strata_streams (stream_id, stream_type, version) VALUES ('s', 'default', 1);`,
    );
    expect(migrate(raw).applied).toEqual([2, 3, 4, 5, 6, 7]);
    const upgraded = createSqliteEventStore({ database: path });
    expect(await upgraded.storageId()).toMatch(/^[0-9a-f]{32}$/);
    expect(await upgraded.streamVersion('s')).toBe(1);
    await upgraded.close();
  });

  it('gives a database made before checkpoint fences its fence column, keeping its checkpoints', async () => {
    const path = databases.path();
    const raw = databases.raw(path);
    migrateTo(raw, 2);
    raw
      .prepare('INSERT INTO strata_checkpoints (name, position, updated_at) VALUES (?, ?, 0)')
      .run('orders', 2n ** 60n);
    expect(migrate(raw).applied).toEqual([3, 4, 5, 6, 7]);
    const upgraded = createSqliteEventStore({ database: path });
    expect(await upgraded.checkpoints.loadCheckpointState('orders')).toEqual({
      position: 2n ** 60n,
      fence: null,
    });
    await upgraded.checkpoints.saveCheckpoint('orders', 1n, { expectedPosition: 2n ** 60n, fence: 7n });
    expect(await upgraded.checkpoints.loadCheckpointState('orders')).toEqual({ position: 1n, fence: 7n });
    await upgraded.close();
  });

  it('adds the data-key table to a database at the dead-letters layout, keeping its dead letters', async () => {
    const path = databases.path();
    const raw = databases.raw(path);
    migrateTo(raw, 4);
    raw.exec(
      `INSERT INTO strata_dead_letters VALUES ('list', 1, 'e', 's', 1, 't', 'Error', 'boom', NULL, 1, 0)`,
    );
    expect(migrate(raw).applied).toEqual([5, 6, 7]);
    const upgraded = createSqliteEventStore({ database: path });
    expect(await upgraded.deadLetters.countDeadLetters('list')).toBe(1);
    const key = { subjectId: 'user-1', version: 1, keyId: 'k1', masterKeyId: 'm1', wrappedKey: 'AAAA' };
    expect(await upgraded.keys.createKey(key)).toEqual(key);
    await upgraded.close();
  });

  it('does not touch the schema when the store is told not to migrate', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path, migrate: false });
    await expect(store.readAll()).rejects.toSatisfy(
      (e: unknown) => StoreUnavailableError.isInstance(e) && /no such table/.test(e.message),
    );
    migrate(databases.raw(path));
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });

  it('is safe when several processes open the same new file at once and race to append', async () => {
    const path = databases.path();
    const writers = 3;
    const appends = 10;
    const script = fileURLToPath(new URL('./concurrent-writer.ts', import.meta.url));
    // tsx runs the TypeScript child wherever vitest was started from.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const children: ChildProcess[] = [];
    const ready: Promise<void>[] = [];
    const done: Promise<{ applied?: number[]; error?: string }>[] = [];
    for (let i = 0; i < writers; i++) {
      const child = fork(script, [path, String(appends)], {
        execArgv: ['--import', tsx],
        stdio: 'inherit',
      });
      children.push(child);
      ready.push(new Promise((resolve) => child.once('message', () => resolve())));
      done.push(
        new Promise((resolve, reject) => {
          child.once('error', reject);
          child.on('message', (message) => {
            if (message !== 'ready') resolve(message as { applied?: number[] });
          });
        }),
      );
    }
    await Promise.all(ready);
    for (const child of children) child.send('go');
    const results = await Promise.all(done);
    for (const child of children) child.disconnect();

    expect(results.map((result) => result.error)).toEqual(results.map(() => undefined));
    expect(results.map((result) => result.applied?.length).sort()).toEqual([0, 0, 7]);
    const store = createSqliteEventStore({ database: path });
    const events = await store.readStream('shared');
    expect(events.map((event) => event.version)).toEqual(
      Array.from({ length: writers * appends }, (_, i) => i + 1),
    );
    const positions = events.map((event) => event.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    await store.close();
  });
});
