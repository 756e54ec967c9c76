import { createMemoryEventStore } from '@strata/store-memory';
import { createRedisHotTier, createTieredEventStore, type RedisHotTier } from '@strata/store-tiered';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { measureAppends } from '../src/tiered/append-latency.js';
import { CountingEventStore } from '../src/tiered/counting-event-store.js';
import { measureReads } from '../src/tiered/read-latency.js';
import {
  type BenchHotTier,
  openBenchHotTier,
  probeRedis,
  REDIS_URL,
  unreachableRedisUrl,
} from '../src/tiered/redis-bench-hot-tier.js';
import type { TieredFixture } from '../src/tiered/tiered-fixture.js';
import type { TieredScale } from '../src/tiered/tiered-scale.js';
import { describeWithServer } from './support/server-gate.js';

const TINY: TieredScale = {
  name: 'quick',
  rounds: 2,
  sizes: [10, 150],
  reads: { 10: 6, 150: 4 },
  warmupReads: 1,
  appends: 8,
  appendStreams: 3,
};

const unreachable = await probeRedis(REDIS_URL);

describeWithServer('the tiered measurements (memory warm store, Redis hot tier)', unreachable, () => {
  let hotTier: BenchHotTier;
  let fixture: TieredFixture;
  let deadHot: RedisHotTier;

  beforeAll(async () => {
    hotTier = openBenchHotTier(REDIS_URL);
    deadHot = createRedisHotTier(await unreachableRedisUrl());
    const warm = new CountingEventStore(createMemoryEventStore());
    const common = { warm, hot: hotTier.hot, ttlSeconds: 60, logger: { warn() {} } };
    fixture = {
      warm,
      strict: createTieredEventStore(common),
      bounded: createTieredEventStore({ ...common, consistency: 'bounded' }),
      down: createTieredEventStore({ ...common, hot: deadHot }),
      hot: hotTier.hot.forStorage(await warm.storageId!()),
      ping: hotTier.ping,
    };
  });
  afterAll(async () => {
    await fixture.strict.close();
    await fixture.bounded.close();
    await fixture.down.close();
    await deadHot.close();
    await hotTier.cleanup();
  });

  it('measures every read case, and attributes to each what it took from the warm store', async () => {
    const results = await measureReads(fixture, 'memory', TINY);
    const row = (size: number, readCase: string) =>
      results.find((r) => r.size === size && r.readCase === readCase)!;
    for (const size of TINY.sizes) {
      const reads = TINY.reads[size]! / TINY.rounds;
      for (const r of results.filter((r) => r.size === size))
        expect(r.latency.count).toBe(reads * TINY.rounds);
      expect(row(size, 'warm').warm).toEqual({ reads: 1, eventRows: size, versionLookups: 0 });
      expect(row(size, 'warm').hitShare).toBeUndefined();
      expect(row(size, 'strict')).toMatchObject({
        warm: { reads: 1, eventRows: 0, versionLookups: 1 },
        hitShare: 1,
      });
      expect(row(size, 'bounded')).toMatchObject({ warm: { eventRows: 0, versionLookups: 0 }, hitShare: 1 });
      // A miss reads the stream (its promotion may confirm the version too, in the background).
      expect(row(size, 'miss')).toMatchObject({ warm: { eventRows: size }, hitShare: 0 });
      // Redis down: every read is a whole warm read, none a hit.
      expect(row(size, 'down')).toMatchObject({ warm: { reads: 1, eventRows: size }, hitShare: 0 });
      expect(row(size, 'hot-tier').warm.reads).toBe(0);
      expect(row(size, 'ping').warm.reads).toBe(0);
    }
  });

  it('measures appends in both modes; with a hot copy every append is written through', async () => {
    const results = await measureAppends(fixture, 'memory', TINY);
    expect(results.map((r) => `${r.appendCase}/${r.mode}`)).toEqual([
      'warm/back-to-back',
      'warm/isolated',
      'copy/back-to-back',
      'copy/isolated',
      'no-copy/back-to-back',
      'no-copy/isolated',
    ]);
    for (const r of results) expect(r.latency.count).toBe(8);
    const copy = results.filter((r) => r.appendCase === 'copy');
    // The memory store's appends return their recorded events: nothing is read back.
    for (const r of copy) expect(r).toMatchObject({ warm: { reads: 0, eventRows: 0 }, writeThroughShare: 1 });
    const noCopy = results.filter((r) => r.appendCase === 'no-copy');
    for (const r of noCopy) expect(r).toMatchObject({ warm: { reads: 0 }, writeThroughShare: 0 });
  });

  it('leaves no key behind', async () => {
    const other = openBenchHotTier(REDIS_URL);
    await other.hot.promote('left-over', (await fixture.warm.readStream('tiered-read-10')).slice(0, 1), {
      verifiedAt: Date.now(),
      ttlSeconds: 60,
      maxEvents: 10,
    });
    expect(await other.cleanup()).toBe(2);
    // A fresh prefix: nothing of anyone else's is ever deleted.
    expect(await openBenchHotTier(REDIS_URL).cleanup()).toBe(0);
  });
});
