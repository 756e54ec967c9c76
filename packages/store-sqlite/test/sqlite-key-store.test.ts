import { StoreClosedError, StoreUnavailableError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const key = { subjectId: 'user-1', version: 1, keyId: 'key-a', masterKeyId: 'master-1', wrappedKey: 'AAAA' };

describe('SqliteKeyStore (store.keys)', () => {
  it('keeps keys in the file: another store over it reads, re-wraps and destroys them', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.keys.createKey(key);
    await store.close();

    const peer = createSqliteEventStore({ database: path });
    expect(await peer.keys.latestKey('user-1')).toEqual(key);
    expect(await peer.keys.rewrapKey({ ...key, masterKeyId: 'master-2' }, 'master-1')).toBe(true);
    expect(await peer.keys.listKeys()).toEqual([{ ...key, masterKeyId: 'master-2' }]);
    expect(await peer.keys.destroyKeys('user-1')).toBe(1);
    await peer.close();
  });

  it('a closed store refuses with StoreClosedError, a missing table with StoreUnavailableError', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.keys.createKey(key);
    databases.raw(path).exec('DROP TABLE strata_data_keys');
    await expect(store.keys.getKey('user-1', 1)).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await store.close();
    await expect(store.keys.getKey('user-1', 1)).rejects.toSatisfy(StoreClosedError.isInstance);
  });
});
