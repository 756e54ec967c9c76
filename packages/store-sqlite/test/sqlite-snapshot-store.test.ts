import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

describe('SqliteSnapshotStore (store.snapshots)', () => {
  it('loads the newest snapshot, filtered by state version and max version', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const { snapshots } = store;
    const createdAt = new Date('2024-01-02T03:04:05.678Z');
    await snapshots.saveSnapshot({
      streamId: 's',
      version: 5,
      stateVersion: 1,
      state: { total: 5 },
      createdAt,
    });
    await snapshots.saveSnapshot({ streamId: 's', version: 10, stateVersion: 2, state: { sum: 10 } });
    await snapshots.saveSnapshot({ streamId: 's', version: 20, stateVersion: 1, state: { total: 20 } });

    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 20, state: { total: 20 } });
    expect(await snapshots.loadSnapshot('s', { stateVersion: 2 })).toMatchObject({
      version: 10,
      stateVersion: 2,
    });
    expect(await snapshots.loadSnapshot('s', { maxVersion: 19 })).toMatchObject({ version: 10 });
    expect(await snapshots.loadSnapshot('s', { maxVersion: 9, stateVersion: 1 })).toEqual({
      streamId: 's',
      version: 5,
      stateVersion: 1,
      state: { total: 5 },
      createdAt,
    });
    expect(await snapshots.loadSnapshot('s', { stateVersion: 3 })).toBeUndefined();
    expect(await snapshots.loadSnapshot('other')).toBeUndefined();
    await store.close();
  });

  it('replaces a snapshot saved again at the same version', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    await store.snapshots.saveSnapshot({ streamId: 's', version: 3, stateVersion: 1, state: ['old'] });
    await store.snapshots.saveSnapshot({ streamId: 's', version: 3, stateVersion: 2, state: ['new'] });
    expect(await store.snapshots.loadSnapshot('s')).toMatchObject({
      version: 3,
      stateVersion: 2,
      state: ['new'],
    });
    await store.close();
  });

  it('deletes snapshots below a version, or all of a stream', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    for (const version of [1, 2, 3, 4]) {
      await store.snapshots.saveSnapshot({ streamId: 's', version, stateVersion: 1, state: version });
    }
    await store.snapshots.saveSnapshot({ streamId: 't', version: 1, stateVersion: 1, state: null });
    expect(await store.snapshots.deleteSnapshots('s', { beforeVersion: 3 })).toBe(2);
    expect(await store.snapshots.loadSnapshot('s', { maxVersion: 2 })).toBeUndefined();
    expect(await store.snapshots.deleteSnapshots('s')).toBe(2);
    expect(await store.snapshots.deleteSnapshots('s')).toBe(0);
    expect(await store.snapshots.loadSnapshot('t')).toMatchObject({ state: null });
    await store.close();
  });

  it('is shared by every store on the file', async () => {
    const path = databases.path();
    const one = createSqliteEventStore({ database: path });
    const two = createSqliteEventStore({ database: path });
    await one.snapshots.saveSnapshot({ streamId: 's', version: 1, stateVersion: 1, state: { a: 1 } });
    expect(await two.snapshots.loadSnapshot('s')).toMatchObject({ state: { a: 1 } });
    await one.close();
    await two.close();
  });

  it('rejects bad input before writing', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const base = { streamId: 's', version: 1, stateVersion: 1, state: {} };
    for (const bad of [
      { ...base, streamId: '' },
      { ...base, version: -1 },
      { ...base, stateVersion: 1.5 },
      { ...base, state: { when: new Date() } },
      { ...base, state: undefined },
      { ...base, createdAt: new Date(Number.NaN) },
    ]) {
      await expect(store.snapshots.saveSnapshot(bad)).rejects.toSatisfy(ValidationError.isInstance);
    }
    await expect(store.snapshots.loadSnapshot('s', { maxVersion: -1 })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    expect(await store.snapshots.loadSnapshot('s')).toBeUndefined();
    await store.close();
  });
});
