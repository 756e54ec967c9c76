import { StoreClosedError, StoreUnavailableError } from '@strata/core';
import { expect, it } from 'vitest';
import { adminPool, describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

const key = { subjectId: 'user-1', version: 1, keyId: 'key-a', masterKeyId: 'master-1', wrappedKey: 'AAAA' };

describePostgres('PostgresKeyStore (store.keys)', () => {
  const env = storeInFreshSchema();

  it('keeps keys in the tables: another store over them reads, re-wraps and destroys them', async () => {
    await env.store.keys.createKey(key);
    const peer = await openStore(env.schema);
    try {
      expect(await peer.keys.latestKey('user-1')).toEqual(key);
      expect(await peer.keys.rewrapKey({ ...key, masterKeyId: 'master-2' }, 'master-1')).toBe(true);
      expect(await env.store.keys.listKeys()).toEqual([{ ...key, masterKeyId: 'master-2' }]);
      expect(await peer.keys.destroyKeys('user-1')).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it('keeps versions past 32 bits exactly', async () => {
    const big = { ...key, subjectId: 'user-big', version: Number.MAX_SAFE_INTEGER };
    expect(await env.store.keys.createKey(big)).toEqual(big);
    expect(await env.store.keys.latestKey('user-big')).toEqual(big);
  });

  it('a closed store refuses with StoreClosedError, a missing table with StoreUnavailableError', async () => {
    const store = await openStore(env.schema);
    const admin = adminPool();
    try {
      await admin.query(`ALTER TABLE "${env.schema}".strata_data_keys RENAME TO strata_data_keys_away`);
      await expect(store.keys.getKey('user-1', 1)).rejects.toSatisfy(StoreUnavailableError.isInstance);
      await admin.query(`ALTER TABLE "${env.schema}".strata_data_keys_away RENAME TO strata_data_keys`);
    } finally {
      await admin.end();
      await store.close();
    }
    await expect(store.keys.getKey('user-1', 1)).rejects.toSatisfy(StoreClosedError.isInstance);
  });
});
