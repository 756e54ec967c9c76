import { CheckpointConflictError, StoreClosedError, ValidationError } from '@strata/core';
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

  it('reads checkpoints written before fences, and keeps 64-bit fences exact in the script', async () => {
    const admin = new Redis(REDIS_URL);
    try {
      await admin.hset(`${keyPrefix}checkpoints`, 'legacy', '17');
      expect(await store.loadCheckpointState('legacy')).toEqual({ position: 17n, fence: null });
      // Lua numbers are doubles: 2^53 and 2^53 + 1 must still compare as different fences.
      await store.saveCheckpoint('legacy', 18n, { expectedPosition: 17n, fence: 2n ** 53n + 1n });
      await expect(store.saveCheckpoint('legacy', 19n, { fence: 2n ** 53n })).rejects.toThrow(
        /lower fence 9007199254740992/,
      );
      await store.saveCheckpoint('legacy', 19n, { fence: 2n ** 63n - 1n });
      expect(await admin.hget(`${keyPrefix}checkpoints`, 'legacy')).toBe(`19:${2n ** 63n - 1n}`);
    } finally {
      await admin.quit();
    }
  });

  it('two clients racing from one position: exactly one save wins', async () => {
    const other = new RedisCheckpointStore({ url: REDIS_URL, keyPrefix });
    try {
      await store.saveCheckpoint('raced', 0n);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? store : other).saveCheckpoint('raced', BigInt(i + 1), { expectedPosition: 0n }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          expect(CheckpointConflictError.isInstance(outcome.reason)).toBe(true);
      }
    } finally {
      await other.close();
    }
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
