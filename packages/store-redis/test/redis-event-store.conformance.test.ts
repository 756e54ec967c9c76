import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import type { TcpProxy } from '@strata/test-servers';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisEventStore } from '../src/index.js';
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

describeWithRedis('@strata/store-redis (standalone)', await redisIsReachable(), () => {
  afterAll(async () => {
    const admin = new Redis(REDIS_URL);
    await deleteKeys(admin, keyPrefix);
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
