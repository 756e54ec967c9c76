import type { EventStore, SnapshotStore } from '@strata/core';
import { createSqliteEventStore, type SqliteEventStore } from '@strata/store-sqlite';
import type { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import {
  type CopyNotices,
  createRedisHotTier,
  createTieredEventStore,
  type HotTier,
  type RedisHotTier,
  type TieredEventStore,
  type TieredEventStoreOptions,
  type TieredLogger,
} from '../../src/index.js';
import { type Counts, counting } from './counting.js';
import { until } from './poll.js';
import { deleteKeys, randomKeyPrefix, redisClient } from './redis-env.js';
import { tempSqliteFiles } from './temp-sqlite.js';

export interface Tiered {
  store: TieredEventStore;
  /** The SQLite store under it, and the counts of the calls the tiered store made to it. */
  sqlite: SqliteEventStore;
  warmCalls: Counts;
  /** The calls the tiered store's `snapshots` made to the SQLite snapshot store. */
  snapshotCalls: Counts;
  hotCalls: Counts;
  /** What the store's copy notices told it, in order: 'live', 'lapsed', 'copied <streamId>'. */
  notices: string[];
  /** The Redis hot tier as the tiered store sees it (this SQLite file's copies), to reach past the store. */
  hot: RedisHotTier;
  /** The key prefix of this SQLite file's copies. */
  copyPrefix: string;
  redis: Redis;
  prefix: string;
  path: string;
  logged: string[];
}

export interface OpenOptions extends Partial<Omit<TieredEventStoreOptions, 'warm' | 'hot'>> {
  /** Share a SQLite file (another process over the same database). */
  path?: string;
  /** Share a key prefix (another process over the same Redis). */
  prefix?: string;
  /** Use this client (e.g. through a proxy); it is closed after the test. */
  redis?: Redis;
  /** The Redis hot tier's own timeout. */
  hotTimeoutMs?: number;
  /** Wraps the warm store (before the counting), e.g. to act as an adapter that returns less. */
  wrapWarm?: (warm: EventStore) => EventStore;
}

/** Tiered stores over SQLite files and the shared Redis, all closed and their keys deleted after each test. */
export function tieredFixture(): { open(options?: OpenOptions): Promise<Tiered> } {
  const files = tempSqliteFiles();
  let opened: Tiered[] = [];

  afterEach(async () => {
    const all = opened;
    opened = [];
    for (const tiered of all) {
      await tiered.store.close();
      await tiered.sqlite.close();
    }
    const cleaner = redisClient();
    await cleaner.connect();
    for (const prefix of new Set(all.map((t) => t.prefix))) await deleteKeys(cleaner, prefix);
    await cleaner.quit();
    for (const tiered of all) tiered.redis.disconnect();
  });

  return {
    async open(options = {}) {
      const path = options.path ?? files.path();
      const prefix = options.prefix ?? randomKeyPrefix();
      const redis = options.redis ?? redisClient();
      const sqlite = createSqliteEventStore({ database: path, synchronous: 'NORMAL' });
      // The tiered store asks for the warm storage's id once; the counts are of the calls that
      // serve reads and appends.
      const warm = counting<EventStore>(options.wrapWarm ? options.wrapWarm(sqlite) : sqlite, ['storageId']);
      const redisHot = createRedisHotTier(redis, {
        keyPrefix: prefix,
        timeoutMs: options.hotTimeoutMs ?? 2_000,
      });
      // The copies of this SQLite file, as the tiered store sees them; a store asking for another
      // storage's copies gets those, uncounted.
      const storageId = await sqlite.storageId();
      const scoped = redisHot.forStorage(storageId);
      const hot = counting<HotTier>(scoped, ['forStorage', 'watchCopies']);
      // What the store's copy notices told it, in order: 'live', 'lapsed', 'copied <streamId>'.
      const notices: string[] = [];
      const watchCopies = (into: CopyNotices) =>
        scoped.watchCopies({
          copied: (streamId) => {
            notices.push(`copied ${streamId}`);
            into.copied(streamId);
          },
          live: () => {
            notices.push('live');
            into.live();
          },
          lapsed: () => {
            notices.push('lapsed');
            into.lapsed();
          },
        });
      const forStore: HotTier = new Proxy(hot.subject, {
        get: (obj, property, receiver) =>
          property === 'forStorage'
            ? (id: string) => (id === storageId ? forStore : redisHot.forStorage(id))
            : property === 'watchCopies'
              ? watchCopies
              : Reflect.get(obj, property, receiver),
      });
      const snapshots = counting<SnapshotStore>(sqlite.snapshots);
      const logged: string[] = [];
      const logger: TieredLogger = {
        warn: (message) => logged.push(`warn: ${message}`),
        info: (message) => logged.push(`info: ${message}`),
      };
      const { path: _p, prefix: _x, redis: _r, hotTimeoutMs: _t, wrapWarm: _w, ...rest } = options;
      const store = createTieredEventStore({
        ttlSeconds: 600,
        logger,
        warmSnapshots: snapshots.subject,
        ...rest,
        warm: warm.subject,
        hot: forStore,
      });
      const tiered = {
        store,
        sqlite,
        warmCalls: warm.counts,
        snapshotCalls: snapshots.counts,
        hotCalls: hot.counts,
        notices,
        hot: scoped,
        copyPrefix: scoped.keyPrefix,
        redis,
        prefix,
        path,
        logged,
      };
      opened.push(tiered);
      return tiered;
    },
  };
}

/**
 * Starts the store's copy notices (its first append does) and waits until they are live: from
 * then on the store knows which streams have no copy.
 */
export async function startCopyNotices(tiered: Tiered): Promise<void> {
  await tiered.store.append(`notices-start-${Math.random().toString(36).slice(2)}`, newEvents(1));
  await until('the copy notices are live', () => tiered.notices.includes('live'));
}

/** Forgets the counts so far. */
export function resetCounts(...all: Counts[]): void {
  for (const counts of all) for (const key of Object.keys(counts)) delete counts[key];
}

export const newEvents = (n: number, type = 'test.happened') =>
  Array.from({ length: n }, (_, i) => ({ type, data: { i, text: `event ${i}` }, metadata: { n: i } }));
