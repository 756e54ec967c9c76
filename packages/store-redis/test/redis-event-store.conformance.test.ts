import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import type { TcpProxy } from '@strata/test-servers';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisEventStore } from '../src/index.js';
import { seedLastPosition } from './support/redis-seed-position.js';
import {
  deleteKeys,
  describeWithRedis,
  proxyToSharedServer,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

const keyPrefix = testKeyPrefix('conformance');
const proxies = new WeakMap<EventStore, TcpProxy>();
/** Prefixes of the logs the exact-positions topic starts near 2^53 and 2^63 - 1, one per test. */
const seededPrefixes: string[] = [];

describeWithRedis('@strata/store-redis (standalone)', await redisIsReachable(), () => {
  afterAll(async () => {
    const admin = new Redis(REDIS_URL);
    for (const prefix of [keyPrefix, ...seededPrefixes]) await deleteKeys(admin, prefix);
    await admin.quit();
  });

  describeEventStore('RedisEventStore', {
    // Every store talks through its own TCP proxy, so an outage cuts off that store alone.
    async create() {
      const proxy = await proxyToSharedServer();
      const store = new RedisEventStore({
        url: proxy.route(REDIS_URL),
        keyPrefix,
        timeoutMs: 2000,
      });
      proxies.set(store, proxy);
      return store;
    },
    createPeer: async () => new RedisEventStore({ url: REDIS_URL, keyPrefix, timeoutMs: 2000 }),
    async seedPosition(lastPosition) {
      const seeded = testKeyPrefix('conformance-seeded');
      seededPrefixes.push(seeded);
      const admin = new Redis(REDIS_URL);
      try {
        await seedLastPosition(admin, seeded, lastPosition);
      } finally {
        await admin.quit();
      }
      return new RedisEventStore({ url: REDIS_URL, keyPrefix: seeded, timeoutMs: 2000 });
    },
    outage: {
      begin: async (store) => proxies.get(store)?.cut(),
      end: async (store) => proxies.get(store)?.restore(),
    },
    async dispose(store) {
      await store.close();
      await proxies.get(store)?.close();
    },
  });
});
