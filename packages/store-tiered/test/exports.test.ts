import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'createTieredEventStore',
      'TieredEventStore',
      'TieredSnapshotStore',
      'createRedisHotTier',
      'RedisHotTier',
      'recommendedHotRedisOptions',
      'DEFAULT_HOT_KEY_PREFIX',
      'createMemoryColdTier',
      'MemoryColdTier',
    ],
  },
  {
    roundTrip: {
      label: 'a TieredEventStore with a Redis hot tier over a memory warm store',
      // Runs in a child process from its source text: it may use only its arguments.
      open: async (tiered, load) => {
        const url = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';
        const keyPrefix = `strata-test:exports:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;
        const memory = await load.import('@strata/store-memory');
        const hot = tiered.createRedisHotTier(url, { keyPrefix, timeoutMs: 2000 });
        const store = tiered.createTieredEventStore({
          warm: memory.createMemoryEventStore(),
          hot,
          ttlSeconds: 60,
        });
        const drop = async () => {
          await hot.close();
          const { Redis } = load.require('ioredis');
          const admin = new Redis(url);
          try {
            let cursor = '0';
            do {
              const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
              cursor = next;
              if (keys.length > 0) await admin.del(...keys);
            } while (cursor !== '0');
          } finally {
            admin.disconnect();
          }
        };
        return { store, drop };
      },
    },
  },
);
