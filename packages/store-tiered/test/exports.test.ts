import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(fileURLToPath(new URL('..', import.meta.url)), {
  '.': [
    'createTieredEventStore',
    'TieredEventStore',
    'createRedisHotTier',
    'RedisHotTier',
    'recommendedHotRedisOptions',
    'DEFAULT_HOT_KEY_PREFIX',
    'createMemoryColdTier',
    'MemoryColdTier',
  ],
});
