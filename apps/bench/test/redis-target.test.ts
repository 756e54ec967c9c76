import { expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import type { RedisMinimalStore } from '../src/targets/redis-minimal-store.js';
import { redisTarget } from '../src/targets/redis-target.js';
import { probeRedis, REDIS_URL } from '../src/tiered/redis-bench-hot-tier.js';
import { leftovers } from './support/bench-leftovers.js';
import { expectEveryWorkloadRuns } from './support/every-workload.js';
import { describeWithServer } from './support/server-gate.js';

const unreachable = await probeRedis(REDIS_URL);

describeWithServer('the redis target', unreachable, () => {
  it('runs every workload on the store, the id-index floor and the minimal store, and deletes every key it made', async () => {
    const names = new BenchObjectNames('strata-bench:');
    const target = redisTarget(REDIS_URL, names);
    expect(target.rawBaseline).toMatch(/^floor/);
    // Its Ratio is the floor ratio: the Minimal-store targets lines restate the targets against it.
    expect(target.rawIsFloor).toBe(true);
    expect(target.minimal?.targets).toEqual({ W1: 1.0, W3: 1.0, W4: 0.9, W5: 0.9 });
    // Every run's keys (and the seeds') live under this process's tag.
    const ownKeys = { kind: 'redis key prefix', name: `strata-bench:${names.tag}_` } as const;
    const seen: number[] = [];
    const setup = target.setup.bind(target);
    target.setup = async () => {
      const database = await setup();
      const openMinimal = database.openMinimal!.bind(database);
      database.openMinimal = async () => {
        const minimal = await openMinimal();
        seen.push(await leftovers(ownKeys));
        return minimal;
      };
      return database;
    };
    try {
      await expectEveryWorkloadRuns(target);
    } finally {
      await target.dispose?.();
    }
    // The runs did write keys there (the seeded reads at least), and none is left.
    expect(Math.max(...seen)).toBeGreaterThan(0);
    expect(await leftovers(ownKeys)).toBe(0);
  });

  it('seeds the store and the minimal store with the same events, in the same global order', async () => {
    const names = new BenchObjectNames('strata-bench:');
    const target = redisTarget(REDIS_URL, names);
    const database = await target.setup();
    try {
      await database.seed({ streamIds: ['s-a', "s'b"], eventsPerStream: 150 });
      const store = await database.createStore();
      const minimal = (await database.openMinimal!()) as RedisMinimalStore;
      try {
        const same = (e: { streamId: string; version: number; type: string; data: unknown }) => [
          e.streamId,
          e.version,
          e.type,
          e.data,
        ];
        const log = await store.readAll({ limit: 1_000 });
        expect(log).toHaveLength(300);
        expect((await minimal.readAllEvents(0n, 1_000)).map(same)).toEqual(log.map(same));
        expect(await minimal.readStream("s'b")).toBe(150);
      } finally {
        await minimal.close();
        await store.close();
      }
    } finally {
      await database.teardown();
      await target.dispose?.();
    }
    expect(await leftovers({ kind: 'redis key prefix', name: `strata-bench:${names.tag}_` })).toBe(0);
  });
});
