import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'RedisEventStore',
      'createRedisEventStore',
      'RedisSnapshotStore',
      'RedisCheckpointStore',
      'RedisDeadLetterStore',
      'RedisKeyStore',
      'RedisLeaseProvider',
      'recommendedRedisOptions',
      'RedisAppendNotifier',
    ],
  },
  {
    roundTrip: {
      label: 'a RedisEventStore under a key prefix of its own',
      // Runs in a child process from its source text: it may use only its arguments.
      open: async (redis, load) => {
        const url = process.env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379';
        const keyPrefix = `strata-test:exports:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;
        const store = redis.createRedisEventStore({ url, keyPrefix });
        const drop = async () => {
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
