import type { EventStore } from '@strata/core';
import { createTieredEventStore } from '@strata/store-tiered';
import type { BenchTarget, TargetDatabase } from '../bench-target.js';
import { storeSubject } from '../store-subject.js';
import {
  type BenchHotTier,
  openBenchHotTier,
  probeRedis,
  REDIS_URL,
} from '../tiered/redis-bench-hot-tier.js';
import { mysqlTarget } from './mysql-target.js';
import { SERVER_SCALE_NOTE } from './server-notes.js';

/** Long enough that no copy expires during a run; each run's hot keys are deleted at its end. */
const TTL_SECONDS = 600;

/**
 * `@strata/store-tiered` (strict, a Redis hot tier over `@strata/store-mysql`) against the MySQL
 * store alone: issue 12's tiered row, W1-W5 through the same workloads and interleaving as every
 * other target. Each side gets the MySQL target's fresh tables (or its shared seed), the tiered side
 * also a fresh hot-tier key prefix, deleted with the run. The "raw" side is the warm store alone,
 * so `Ratio` is tiered/warm. No floor: the look at the hot copy that stop 18 measured as one
 * (a background Redis call per append) is skipped for streams known to have no copy, so the
 * target is the warm store itself. The appends' background write-throughs overlap the run;
 * whatever is still queued when the last append returns is awaited untimed, at close.
 */
export function tieredTarget(
  warm: BenchTarget = mysqlTarget(),
  openHot: () => BenchHotTier = () => openBenchHotTier(REDIS_URL),
): BenchTarget {
  return {
    name: 'tiered-mysql',
    family: 'tiered',
    label: 'tiered (Redis over MySQL) vs MySQL alone',
    // Issue 12: tiered appends at least 0.9x of the warm store alone.
    goals: { W1: 0.9, W2: 0.9, W3: 0.9 },
    rawReference: {},
    rawBaseline: '@strata/store-mysql alone, the warm tier the tiered side wraps',
    notes: [
      'tiered-mysql: Ratio = tiered / MySQL store alone (the "raw" side), same workloads, interleaved; ' +
        "a tiered append looks at the stream's hot copy in the background only when the store cannot " +
        "know it has none (not after the stream's first append; copy notices, issue 12).",
      SERVER_SCALE_NOTE,
    ],
    scaleFor: (scale) => warm.scaleFor?.(scale) ?? scale,
    async probe() {
      return (await warm.probe?.()) ?? (await probeRedis(REDIS_URL));
    },
    async setup(): Promise<TargetDatabase> {
      const database = await warm.setup();
      return {
        async createStore(): Promise<EventStore> {
          const hotTier = openHot();
          const warmStore = await database.createStore();
          const tiered = createTieredEventStore({
            warm: warmStore,
            hot: hotTier.hot,
            ttlSeconds: TTL_SECONDS,
          });
          // Resolve the hot tier's storage scope outside the timed part.
          await tiered.readStream('bench-open');
          const close = tiered.close.bind(tiered);
          return Object.assign(tiered, {
            async close() {
              await close();
              await warmStore.close();
              await hotTier.cleanup();
            },
          });
        },
        openRaw: async () => storeSubject(await database.createStore()),
        seed: (plan) => database.seed(plan),
        teardown: () => database.teardown(),
      };
    },
    dispose: () => warm.dispose?.() ?? Promise.resolve(),
  };
}
