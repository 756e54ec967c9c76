import { describeLeaseProvider } from '@strata/conformance';
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, it } from 'vitest';
import { RedisEventStore, RedisLeaseProvider, recommendedRedisOptions } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

describeWithRedis('RedisLeaseProvider', await redisIsReachable(), () => {
  const keyPrefix = testKeyPrefix('leases');
  const admin = new Redis(REDIS_URL);
  // One client per provider: two of them are two processes.
  const clients = new Map<RedisLeaseProvider, Redis>();
  afterEach(() => {
    for (const client of clients.values()) client.disconnect();
    clients.clear();
  });
  afterAll(async () => {
    await deleteKeys(admin, keyPrefix);
    await admin.quit();
  });

  describeLeaseProvider('RedisLeaseProvider', {
    create: async () => {
      const client = new Redis(REDIS_URL, recommendedRedisOptions());
      client.on('error', () => {});
      const provider = new RedisLeaseProvider({ client, keyPrefix, ttlMs: 1_000 });
      clients.set(provider, client);
      return provider;
    },
    // A killed process stops renewing and its connection goes: the key expires within the TTL.
    cut: async (provider) => {
      clients.get(provider as RedisLeaseProvider)?.disconnect();
    },
  });

  it('a lease whose key expired and was taken by another counts as lost at its next renewal', async () => {
    const client = new Redis(REDIS_URL, recommendedRedisOptions());
    const provider = new RedisLeaseProvider({ client, keyPrefix, ttlMs: 600 });
    try {
      const lease = await provider.acquire('order-list');
      if (lease === undefined) throw new Error('a fresh lease name was held');
      // Another holder overwrites the key, as after an expiry the holder slept through.
      await admin.set(`${keyPrefix}{order-list}:lease`, 'someone-else', 'PX', 10_000);
      expect(await lease.ended).toMatchObject({ released: false });
      expect(lease.held).toBe(false);
      // Its release does not delete the other holder's key.
      await lease.release();
      expect(await admin.get(`${keyPrefix}{order-list}:lease`)).toBe('someone-else');
    } finally {
      await provider.close();
      client.disconnect();
    }
  });

  it("the store's own provider: store.leases, released when the store closes", async () => {
    const client = new Redis(REDIS_URL, recommendedRedisOptions());
    const store = new RedisEventStore({ client, keyPrefix });
    const lease = await store.leases.acquire('store-owned');
    expect(lease?.held).toBe(true);
    await store.close();
    expect(lease?.held).toBe(false);
    expect(await admin.exists(`${keyPrefix}{store-owned}:lease`)).toBe(0);
    client.disconnect();
  });

  it('refuses a TTL too short to renew in time', () => {
    expect(() => new RedisLeaseProvider({ url: REDIS_URL, ttlMs: 10 })).toThrow(/ttlMs/);
  });
});
