import { StoreClosedError, ValidationError } from '@strata/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { RedisCheckpointStore } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

const keyPrefix = testKeyPrefix('checkpoints');

describeWithRedis('RedisCheckpointStore', await redisIsReachable(), () => {
  const store = new RedisCheckpointStore({ url: REDIS_URL, keyPrefix });

  afterAll(async () => {
    await store.close();
    const admin = new Redis(REDIS_URL);
    await deleteKeys(admin, keyPrefix);
    await admin.quit();
  });

  it('saves, overwrites, loads and deletes checkpoints, bigints beyond 2^53 included', async () => {
    expect(await store.loadCheckpoint('orders')).toBeUndefined();
    await store.saveCheckpoint('orders', 0n);
    expect(await store.loadCheckpoint('orders')).toBe(0n);
    await store.saveCheckpoint('orders', 2n ** 60n + 7n);
    expect(await store.loadCheckpoint('orders')).toBe(2n ** 60n + 7n);
    await store.saveCheckpoint('invoices', 5n);
    await store.deleteCheckpoint('orders');
    expect(await store.loadCheckpoint('orders')).toBeUndefined();
    expect(await store.loadCheckpoint('invoices')).toBe(5n);
    await store.deleteCheckpoint('never-saved');
  });

  it('rejects bad input with ValidationError and calls after close() with StoreClosedError', async () => {
    await expect(store.saveCheckpoint('x', -1n)).rejects.toSatisfy(ValidationError.isInstance);
    await expect(store.saveCheckpoint('x', 5 as unknown as bigint)).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(store.loadCheckpoint('')).rejects.toSatisfy(ValidationError.isInstance);
    const closed = new RedisCheckpointStore({ url: REDIS_URL, keyPrefix });
    await closed.close();
    await expect(closed.loadCheckpoint('invoices')).rejects.toSatisfy(StoreClosedError.isInstance);
  });
});
