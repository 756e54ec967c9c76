import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisEventStore } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';
import { TcpProxy } from './support/tcp-proxy.js';

const keyPrefix = testKeyPrefix('conformance');
const target = new URL(REDIS_URL);
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
      const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
      await proxy.start();
      const store = new RedisEventStore({
        url: `redis://127.0.0.1:${proxy.port}`,
        keyPrefix,
        timeoutMs: 2000,
      });
      proxies.set(store, proxy);
      return store;
    },
    createPeer: async () => new RedisEventStore({ url: REDIS_URL, keyPrefix, timeoutMs: 2000 }),
    outage: {
      begin: async (store) => proxies.get(store)?.interrupt(),
      end: async (store) => proxies.get(store)?.restore(),
    },
    async dispose(store) {
      await store.close();
      await proxies.get(store)?.stop();
    },
  });
});
