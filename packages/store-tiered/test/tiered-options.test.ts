import { type EventStore, type SnapshotStore, StoreClosedError, ValidationError } from '@strata/core';
import { createMemoryEventStore, MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import {
  createRedisHotTier,
  createTieredEventStore,
  type TieredEventStoreOptions,
  type TieredStoreEventName,
} from '../src/index.js';
import { counting } from './support/counting.js';
import { randomKeyPrefix, redisClient } from './support/redis-env.js';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();

describe('createTieredEventStore', () => {
  it('without a hot tier is the warm store as it is: same calls, same answers, same errors', async () => {
    const memory = createMemoryEventStore();
    const warm = counting(memory);
    const store = createTieredEventStore({ warm: warm.subject });
    const result = await store.append('s', newEvents(2), { expectedVersion: 'no_stream' });
    await store.flush();
    expect(result).toEqual({ streamId: 's', firstVersion: 1, lastVersion: 2, lastPosition: 2n });
    expect(await store.readStream('s', { direction: 'backward' })).toEqual(
      await memory.readStream('s', { direction: 'backward' }),
    );
    expect(await store.readStreams(['s', 'x'])).toEqual(await memory.readStreams(['s', 'x']));
    expect(await store.readAll()).toEqual(await memory.readAll());
    expect(await store.streamVersion('s')).toBe(2);
    expect(warm.counts).toEqual({ append: 1, readStream: 1, readStreams: 1, readAll: 1, streamVersion: 1 });
    memory.storage.simulateOutage();
    await expect(store.readStream('s')).rejects.toThrow(/simulated outage/);
    memory.storage.restore();
    expect(store.stats()).toMatchObject({ hits: 0, misses: 0, breaker: 'closed' });
    await store.close();
    await expect(store.readStream('s')).rejects.toSatisfy(StoreClosedError.isInstance);
    // The warm store was handed in: it stays open.
    expect(await memory.streamVersion('s')).toBe(2);
  });

  it('checks its options before anything is used', () => {
    const warm = createMemoryEventStore();
    const hot = createRedisHotTier(redisClient());
    const bad: [Partial<TieredEventStoreOptions>, RegExp][] = [
      [{ hot }, /ttlSeconds/],
      [{ hot, ttlSeconds: 0 }, /ttlSeconds/],
      [{ hot, ttlSeconds: 60, consistency: 'eventual' as 'strict' }, /consistency/],
      [{ hot, ttlSeconds: 60, maxStalenessMs: -1 }, /maxStalenessMs/],
      [{ hot, ttlSeconds: 60, maxCopyEvents: 0 }, /maxCopyEvents/],
      [{ hot, ttlSeconds: 60, maxPendingInvalidations: 0 }, /maxPendingInvalidations/],
      [{ hot, ttlSeconds: 60, breaker: { failureThreshold: 0 } }, /failureThreshold/],
      [{ hot, ttlSeconds: 60, breaker: { openMs: 1.5 } }, /openMs/],
      [{ hot, ttlSeconds: 60, refreshTtlOnRead: 'yes' as unknown as boolean }, /refreshTtlOnRead/],
      [{ hot: {} as typeof hot, ttlSeconds: 60 }, /options.hot/],
      [{ cold: {} as never }, /options.cold/],
      [{ hot, ttlSeconds: 60, snapshotWriteLeaseMs: 0 }, /snapshotWriteLeaseMs/],
      [{ warmSnapshots: { saveSnapshot() {} } as never }, /options.warmSnapshots/],
    ];
    for (const [options, message] of bad) {
      expect(() => createTieredEventStore({ warm, ...options })).toThrow(ValidationError);
      expect(() => createTieredEventStore({ warm, ...options })).toThrow(message);
    }
    expect(() => createTieredEventStore({ warm: {} as typeof warm })).toThrow(/options.warm/);
  });

  it('has snapshots exactly when there is a warm snapshot store; a hot tier without snapshot methods passes them to it', async () => {
    const memory = createMemoryEventStore();
    // The memory store keeps its snapshots apart (no `snapshots` property): only the option gives them.
    expect(createTieredEventStore({ warm: memory }).snapshots).toBeUndefined();
    const warmSnapshots = counting<SnapshotStore>(new MemorySnapshotStore());
    const hot = createRedisHotTier(redisClient());
    const plain = Object.fromEntries(
      ['read', 'peek', 'promote', 'extend', 'confirm', 'invalidate', 'ping', 'forStorage'].map((m) => [
        m,
        (hot as unknown as Record<string, unknown>)[m],
      ]),
    ) as unknown as typeof hot;
    const store = createTieredEventStore({
      warm: memory,
      warmSnapshots: warmSnapshots.subject,
      hot: plain,
      ttlSeconds: 60,
      warmStorageId: 'x',
    });
    const snapshots = store.snapshots!;
    await snapshots.saveSnapshot({ streamId: 's', version: 1, stateVersion: 1, state: {} });
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 1 });
    expect(warmSnapshots.counts).toEqual({ saveSnapshot: 1, loadSnapshot: 1 });
    await store.close();
    await expect(snapshots.loadSnapshot('s')).rejects.toSatisfy(StoreClosedError.isInstance);
  });

  it('needs the warm storage id: from the warm store, or the warmStorageId option if it has none', async () => {
    const memory = createMemoryEventStore();
    const redis = redisClient();
    const hot = createRedisHotTier(redis, { keyPrefix: randomKeyPrefix() });
    // A warm store without the optional storageId().
    const bare: EventStore = {
      append: (...args) => memory.append(...args),
      readStream: (...args) => memory.readStream(...args),
      readStreams: (...args) => memory.readStreams(...args),
      readAll: (...args) => memory.readAll(...args),
      streamVersion: (...args) => memory.streamVersion(...args),
      close: () => memory.close(),
    };
    expect(() => createTieredEventStore({ warm: bare, hot, ttlSeconds: 60 })).toThrow(
      /options.warmStorageId: is required with a hot tier when the warm store has no storageId\(\)/,
    );
    expect(() => createTieredEventStore({ warm: bare, hot, ttlSeconds: 60, warmStorageId: '' })).toThrow(
      ValidationError,
    );
    const named = createTieredEventStore({ warm: bare, hot, ttlSeconds: 60, warmStorageId: 'orders-db' });
    expect(await named.storageId?.()).toBe('orders-db');
    const own = createTieredEventStore({ warm: memory, hot, ttlSeconds: 60 });
    expect(await own.storageId?.()).toBe(await memory.storageId());
    // Without a hot tier nothing needs it, and the store has none to report.
    expect(createTieredEventStore({ warm: bare }).storageId).toBeUndefined();
    await named.close();
    await own.close();
    redis.disconnect();
  });

  it("lastPosition() is the warm store's, never the hot tier's, and absent when the warm store has none", async () => {
    const { store, warmCalls, hotCalls } = await fixture.open();
    const { lastPosition } = await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    resetCounts(warmCalls, hotCalls);
    expect(await store.lastPosition?.()).toBe(lastPosition);
    expect(warmCalls).toEqual({ lastPosition: 1 });
    expect(hotCalls).toEqual({});
    await store.close();
    await expect(store.lastPosition!()).rejects.toSatisfy(StoreClosedError.isInstance);
    const memory = createMemoryEventStore();
    const bare: EventStore = {
      append: (...args) => memory.append(...args),
      readStream: (...args) => memory.readStream(...args),
      readStreams: (...args) => memory.readStreams(...args),
      readAll: (...args) => memory.readAll(...args),
      streamVersion: (...args) => memory.streamVersion(...args),
      close: () => memory.close(),
    };
    expect(createTieredEventStore({ warm: bare }).lastPosition).toBeUndefined();
  });

  it('counts hits, misses, promotions, write-throughs and invalidations, and emits each as an event', async () => {
    const { store } = await fixture.open();
    const seen: string[] = [];
    const names: TieredStoreEventName[] = ['hit', 'miss', 'promotion', 'writeThrough', 'invalidation'];
    const unsubscribe = names.map((name) => store.on(name, () => seen.push(name)));
    store.on('hit', () => {
      throw new Error('a broken listener does not break the store');
    });
    await store.append('s', newEvents(2));
    await store.flush();
    await store.readStream('s'); // miss, promotion
    await store.flush();
    await store.readStream('s'); // hit
    await store.flush();
    await store.append('s', newEvents(1)); // write-through
    await store.flush();
    await store.append('s', newEvents(1), { expectedVersion: 0 }).catch(() => {}); // invalidation
    await store.flush();
    expect(seen).toEqual(['miss', 'promotion', 'hit', 'writeThrough', 'invalidation']);
    expect(store.stats()).toEqual({
      hits: 1,
      misses: 1,
      missesByReason: { absent: 1, uncovered: 0, stale: 0, unavailable: 0 },
      promotions: 1,
      writeThroughs: 1,
      looks: 1,
      looksSkipped: 1,
      writeThroughFailures: 0,
      invalidations: 1,
      hotErrors: 0,
      pendingInvalidations: 0,
      coldReads: 0,
      breaker: 'closed',
      breakerOpenings: 0,
      snapshots: { hits: 0, misses: 0, promotions: 0, writeThroughs: 0 },
    });
    for (const off of unsubscribe) off();
    await store.readStream('s');
    await store.flush();
    expect(seen).toHaveLength(5);
  });

  it('refreshes the TTL of a copy on read only with refreshTtlOnRead', async () => {
    for (const refreshTtlOnRead of [false, true]) {
      const { store, redis, copyPrefix: prefix } = await fixture.open({ ttlSeconds: 300, refreshTtlOnRead });
      await store.append('s', newEvents(1));
      await store.flush();
      await store.readStream('s');
      await store.flush();
      expect(await redis.ttl(`${prefix}{s}:d`)).toBeGreaterThan(290);
      await redis.expire(`${prefix}{s}:d`, 100);
      await redis.expire(`${prefix}{s}:o`, 100);
      await store.readStream('s');
      await store.flush();
      const ttl = await redis.ttl(`${prefix}{s}:d`);
      if (refreshTtlOnRead) expect(ttl).toBeGreaterThan(290);
      else expect(ttl).toBeLessThanOrEqual(100);
    }
  });
});
