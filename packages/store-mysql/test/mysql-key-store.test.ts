import { StoreClosedError, StoreUnavailableError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();
const key = { subjectId: 'user-1', version: 1, keyId: 'key-a', masterKeyId: 'master-1', wrappedKey: 'AAAA' };

describe.skipIf(!reachable)('MysqlKeyStore (store.keys)', () => {
  const tables = useTestTables();

  it('keeps keys in the tables: another store over them reads, re-wraps and destroys them', async () => {
    const store = tables.open();
    await store.keys.createKey(key);
    const peer = tables.open();
    expect(await peer.keys.latestKey('user-1')).toEqual(key);
    expect(await peer.keys.rewrapKey({ ...key, masterKeyId: 'master-2' }, 'master-1')).toBe(true);
    expect(await store.keys.listKeys()).toEqual([{ ...key, masterKeyId: 'master-2' }]);
    expect(await peer.keys.destroyKeys('user-1')).toBe(1);
  });

  it('keeps versions past 32 bits and subjects differing only in case or trailing spaces apart', async () => {
    const store = tables.open();
    const big = { ...key, subjectId: 'user-big', version: Number.MAX_SAFE_INTEGER };
    expect(await store.keys.createKey(big)).toEqual(big);
    expect(await store.keys.latestKey('user-big')).toEqual(big);
    const upper = { ...key, subjectId: 'USER-BIG' };
    const spaced = { ...key, subjectId: 'user-big ' };
    expect(await store.keys.createKey(upper)).toEqual(upper);
    expect(await store.keys.createKey(spaced)).toEqual(spaced);
    expect(await store.keys.destroyKeys('user-big')).toBe(1);
    expect(await store.keys.getKey('USER-BIG', 1)).toEqual(upper);
    expect(await store.keys.getKey('user-big ', 1)).toEqual(spaced);
  });

  it('a closed store refuses with StoreClosedError, a missing table with StoreUnavailableError', async () => {
    const store = tables.open();
    await store.keys.latestKey('user-1');
    const raw = await tables.raw();
    await raw.query(`RENAME TABLE \`${tables.prefix}data_keys\` TO \`${tables.prefix}data_keys_away\``);
    try {
      await expect(store.keys.getKey('user-1', 1)).rejects.toSatisfy(StoreUnavailableError.isInstance);
    } finally {
      await raw.query(`RENAME TABLE \`${tables.prefix}data_keys_away\` TO \`${tables.prefix}data_keys\``);
    }
    await store.close();
    await expect(store.keys.getKey('user-1', 1)).rejects.toSatisfy(StoreClosedError.isInstance);
  });
});
