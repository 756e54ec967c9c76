import { createRedisEventStore } from '@strata/store-redis';
import { Redis } from 'ioredis';
import { BenchObjectNames } from '../bench-object-names.js';
import type { BenchSubject, BenchTarget, SeedPlan } from '../bench-target.js';
import { deleteKeys } from '../redis-key-cleanup.js';
import { ServerSeedCache } from '../server-seed-cache.js';
import { seedThroughStore, seedThroughSubject } from '../store-seed.js';
import { probeRedis, REDIS_URL } from '../tiered/redis-bench-hot-tier.js';
import { SERVER_MINIMAL_TARGETS } from './minimal-event.js';
import { RedisIdFloorStore } from './redis-id-floor-store.js';
import { RedisMinimalStore } from './redis-minimal-store.js';

/** Where each side's keys live under a run's (or a seed's) prefix. */
const storePrefix = (prefix: string) => `${prefix}store:`;
const minimalPrefix = (prefix: string) => `${prefix}minimal:`;
const floorPrefix = (prefix: string) => `${prefix}floor:`;

/**
 * `@strata/store-redis` (standalone) against the minimal Redis store. There is no same-SQL raw
 * side (the store's Lua scripts are the store), so the raw side is issue 12's floor instead: the
 * minimal store plus what the contract needs (`RedisIdFloorStore`), and `Ratio` is the store's
 * ratio to that floor. Every run gets its own key prefix
 * `strata-bench:<tag>_runN:`, deleted (SCAN + UNLINK of that prefix) when the run ends.
 */
export function redisTarget(
  url: string = REDIS_URL,
  names: BenchObjectNames = new BenchObjectNames('strata-bench:'),
): BenchTarget {
  let admin: Redis | undefined;
  const adminClient = (): Redis => {
    if (admin === undefined) {
      admin = new Redis(url, { maxRetriesPerRequest: 0 });
      admin.on('error', () => {});
    }
    return admin;
  };
  const prefixFor = (kind: string) => `${names.next(kind)}:`;
  const drop = async (prefix: string) => {
    await deleteKeys(adminClient(), prefix);
  };
  const seeds = new ServerSeedCache(async (plan) => {
    const prefix = prefixFor('seed');
    try {
      await seedBoth(url, prefix, plan);
    } catch (error) {
      await drop(prefix);
      throw error;
    }
    return { name: prefix, drop: () => drop(prefix) };
  });

  return {
    name: 'redis',
    family: 'redis',
    label: 'redis (ioredis, standalone)',
    goals: {},
    rawReference: {},
    rawBaseline:
      "floor (issue 12): the minimal store plus what the contract needs: the input checks (core's prepareAppend) and a deadline per call (core's CallDeadlines), an id hash (HMGET before, HSET after, " +
      'in its one script), the id, schema version and recording time in each entry, which reads return, and ' +
      "each stream's type, fixed by its first append (SET, then GET on every later append)",
    rawIsFloor: true,
    minimal: {
      description:
        'ioredis: a list per stream, a sorted set of every event by position, a position counter; ' +
        'one Lua script per append checks the list length (the version) and writes both',
      targets: SERVER_MINIMAL_TARGETS,
    },
    notes: [
      'redis: no same-SQL baseline (the store is its Lua scripts): Raw and Ratio are the floor, the minimal ' +
        'store plus what the contract needs (the input checks and a deadline per call, the id index idempotent retries need, the id each read returns, ' +
        "a stream's type fixed by its first append); every side uses one connection, so W2 pipelines 8 " +
        'appenders over it.',
    ],
    probe: () => probeRedis(url),
    async setup() {
      // A fresh prefix per run; a seeded run reads a shared, seeded one.
      const fresh = prefixFor('run');
      let prefix = fresh;
      return {
        async createStore() {
          const store = createRedisEventStore({ url, keyPrefix: storePrefix(prefix) });
          // Connect (and load the scripts' reads) outside the timed part.
          await store.readStream('bench-open');
          return store;
        },
        openMinimal: () => RedisMinimalStore.open(url, minimalPrefix(prefix)),
        openRaw: () => RedisIdFloorStore.open(url, floorPrefix(prefix)),
        async seed(plan) {
          prefix = await seeds.nameFor(plan);
        },
        teardown: () => drop(fresh),
      };
    },
    async dispose() {
      await seeds.clear();
      admin?.disconnect();
      admin = undefined;
    },
  };
}

/** The same events into the store (through its API), the minimal store and the floor, in the same order. */
async function seedBoth(url: string, prefix: string, plan: SeedPlan): Promise<void> {
  const store = createRedisEventStore({ url, keyPrefix: storePrefix(prefix) });
  try {
    await seedThroughStore(store, plan);
  } finally {
    await store.close();
  }
  for (const open of [
    () => RedisMinimalStore.open(url, minimalPrefix(prefix)),
    () => RedisIdFloorStore.open(url, floorPrefix(prefix)),
  ]) {
    const subject: BenchSubject = await open();
    try {
      await seedThroughSubject(subject, plan);
    } finally {
      await subject.close();
    }
  }
}

export const defaultRedisTarget = redisTarget();
