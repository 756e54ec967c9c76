import type { EventStoreConformanceOptions } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import type { Redis } from 'ioredis';
import { createRedisHotTier, createTieredEventStore, type TieredEventStoreOptions } from '../../src/index.js';
import { deleteKeys, randomKeyPrefix, redisClient } from './redis-env.js';

/** How the kit gets warm stores: a fresh storage, another instance over it, and an outage of it. */
export interface WarmFactory<K> {
  create(): Promise<{ warm: EventStore; storage: K }>;
  createPeer(storage: K): Promise<EventStore>;
  outage?: { begin(storage: K): Promise<void>; end(storage: K): Promise<void> };
  /** A fresh storage whose log continues after `lastPosition` (the kit's `seedPosition`). */
  seed?(lastPosition: bigint): Promise<{ warm: EventStore; storage: K }>;
}

interface Parts<K> {
  warm: EventStore;
  storage: K;
  redis: Redis;
  prefix: string;
  peer: boolean;
}

const silent = { warn() {} };

/**
 * The kit's options for tiered stores over warm stores from `factory`, each with a Redis hot tier
 * on the shared server under a random key prefix (a peer shares its store's prefix: another
 * process over the same Redis). `dispose` deletes the prefix's keys.
 */
export function tieredKit<K>(
  factory: WarmFactory<K>,
  options: Partial<Omit<TieredEventStoreOptions, 'warm' | 'hot'>> = {},
): Pick<EventStoreConformanceOptions, 'create' | 'createPeer' | 'outage' | 'dispose' | 'seedPosition'> {
  const parts = new WeakMap<EventStore, Parts<K>>();

  function assemble(warm: EventStore, storage: K, prefix: string, peer: boolean): EventStore {
    const redis = redisClient();
    const store = createTieredEventStore({
      ttlSeconds: 600,
      logger: silent,
      ...options,
      warm,
      hot: createRedisHotTier(redis, { keyPrefix: prefix, timeoutMs: 2_000 }),
    });
    parts.set(store, { warm, storage, redis, prefix, peer });
    return store;
  }

  function partsOf(store: EventStore): Parts<K> {
    const found = parts.get(store);
    if (found === undefined) throw new Error('not a store of this kit');
    return found;
  }

  return {
    create: async () => {
      const { warm, storage } = await factory.create();
      return assemble(warm, storage, randomKeyPrefix(), false);
    },
    createPeer: async (store) => {
      const { storage, prefix } = partsOf(store);
      return assemble(await factory.createPeer(storage), storage, prefix, true);
    },
    ...(factory.seed === undefined
      ? {}
      : {
          // Positions come from the warm store; the hot tier keeps them as strings.
          seedPosition: async (lastPosition: bigint) => {
            const { warm, storage } = await factory.seed!(lastPosition);
            return assemble(warm, storage, randomKeyPrefix(), false);
          },
        }),
    ...(factory.outage === undefined
      ? {}
      : {
          outage: {
            begin: (store: EventStore) => factory.outage!.begin(partsOf(store).storage),
            end: (store: EventStore) => factory.outage!.end(partsOf(store).storage),
          },
        }),
    dispose: async (store) => {
      const { warm, redis, prefix, peer } = partsOf(store);
      await store.close();
      await warm.close();
      if (!peer) {
        if (redis.status !== 'ready') await redis.connect().catch(() => {});
        await deleteKeys(redis, prefix);
      }
      redis.disconnect();
    },
  };
}
