import { createMemoryEventStore } from '@strata/store-memory';
import { expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import { storeSubject } from '../src/store-subject.js';
import { probeRedis, REDIS_URL } from '../src/tiered/redis-bench-hot-tier.js';
import { TieredLookFloor } from '../src/tiered/tiered-look-floor.js';
import { benchEvent } from '../src/workloads/bench-events.js';
import { describeWithServer } from './support/server-gate.js';

describeWithServer('the tiered look floor', await probeRedis(REDIS_URL), () => {
  const prefix = `${new BenchObjectNames('strata-bench-test:').next('look')}:`;

  it("appends to the warm store, then looks at every stream of one turn's appends in one call, but not after a first append", async () => {
    const warm = createMemoryEventStore();
    const floor = await TieredLookFloor.open(storeSubject(warm), REDIS_URL, prefix);
    try {
      const streams = Array.from({ length: 8 }, (_, i) => `s-${i}`);
      await Promise.all(streams.map((streamId, i) => floor.append(streamId, [benchEvent(i)], 0)));
      await new Promise((resolve) => setImmediate(resolve));
      expect(floor.sent).toEqual({ calls: 0, streams: 0 });

      await Promise.all(streams.map((streamId, i) => floor.append(streamId, [benchEvent(i)], 1)));
      await new Promise((resolve) => setImmediate(resolve));
      expect(floor.sent).toEqual({ calls: 1, streams: 8 });
      await floor.append('s-0', [benchEvent(9)], 2);
      expect(await floor.readStream('s-0')).toBe(3);
      expect((await warm.readStream('s-7')).map((e) => e.version)).toEqual([1, 2]);
      expect(await floor.readAll(0n, 100)).toMatchObject({ count: 17 });
    } finally {
      await floor.close();
    }
    // close waited for the looks still in flight: one call for the turn of 8, one for the last append.
    expect(floor.sent).toEqual({ calls: 2, streams: 9 });
  });
});
