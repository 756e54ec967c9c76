import { StoreClosedError, StoreUnavailableError } from '@strata/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { RedisEventStore, RedisKeyStore, recommendedRedisOptions } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

const keyPrefix = testKeyPrefix('data-keys');
const key = { subjectId: 'user-1', version: 1, keyId: 'key-a', masterKeyId: 'master-1', wrappedKey: 'AAAA' };

describeWithRedis('RedisKeyStore', await redisIsReachable(), () => {
  const client = new Redis(REDIS_URL);

  afterAll(async () => {
    await deleteKeys(client, keyPrefix);
    await client.quit();
  });

  it('shares keys between the store and a standalone key store under one prefix', async () => {
    const store = new RedisEventStore({ client, keyPrefix });
    const standalone = new RedisKeyStore({ client, keyPrefix });
    await store.keys.createKey(key);
    expect(await standalone.latestKey('user-1')).toEqual(key);
    expect(await standalone.rewrapKey({ ...key, masterKeyId: 'master-2' }, 'master-1')).toBe(true);
    expect(await store.keys.getKey('user-1', 1)).toEqual({ ...key, masterKeyId: 'master-2' });
    expect(await store.keys.destroyKeys('user-1')).toBe(1);
    expect(await standalone.listKeys()).toEqual([]);
    await store.close();
  });

  it('keeps versions up to the largest safe integer, in version order', async () => {
    const store = new RedisKeyStore({ client, keyPrefix });
    const big = { ...key, subjectId: 'user-big', version: Number.MAX_SAFE_INTEGER };
    const nine = { ...key, subjectId: 'user-big', version: 9 };
    await store.createKey(big);
    await store.createKey(nine);
    expect(await store.latestKey('user-big')).toEqual(big);
    expect(await store.listKeys({ after: { subjectId: 'user-bif', version: 1 } })).toEqual([nine, big]);
    expect(await store.destroyKeys('user-big')).toBe(2);
  });

  it('a closed store refuses with StoreClosedError, a client closed by its owner with StoreUnavailableError', async () => {
    const borrowed = new Redis(REDIS_URL, recommendedRedisOptions(1000));
    const lent = new RedisKeyStore({ client: borrowed, keyPrefix });
    const owning = new RedisKeyStore({ url: REDIS_URL, keyPrefix });
    await owning.latestKey('user-1');
    await owning.close();
    await expect(owning.getKey('user-1', 1)).rejects.toSatisfy(StoreClosedError.isInstance);
    await borrowed.quit();
    await expect(lent.getKey('user-1', 1)).rejects.toSatisfy(StoreUnavailableError.isInstance);
  });
});
