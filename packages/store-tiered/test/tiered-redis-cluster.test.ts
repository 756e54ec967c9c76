import { createSqliteEventStore } from '@strata/store-sqlite';
import { OwnRedisCluster } from '@strata/test-servers';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisHotTier, createTieredEventStore, recommendedHotRedisOptions } from '../src/index.js';
import { tempSqliteFiles } from './support/temp-sqlite.js';
import { newEvents } from './support/tiered-fixture.js';

const files = tempSqliteFiles();
let cluster: OwnRedisCluster;
beforeAll(async () => {
  cluster = await OwnRedisCluster.start();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('the hot tier on a Redis Cluster', () => {
  it('spreads copies over the masters, and a master going away degrades to warm, not failure', async () => {
    const client = new Cluster(cluster.startupNodes, {
      redisOptions: recommendedHotRedisOptions(300),
      enableOfflineQueue: false,
      clusterRetryStrategy: () => 100,
    });
    client.on('error', () => {});
    const warm = createSqliteEventStore({ database: files.path(), synchronous: 'NORMAL' });
    const store = createTieredEventStore({
      warm,
      hot: createRedisHotTier(client, { keyPrefix: 'strata-test:', timeoutMs: 300 }),
      ttlSeconds: 600,
      breaker: { failureThreshold: 3, openMs: 50 },
      logger: { warn() {} },
    });
    const streams = Array.from({ length: 30 }, (_, i) => `order-${i}`);
    try {
      for (const id of streams) await store.append(id, newEvents(3));
      for (const id of streams) await store.readStream(id);
      await store.flush();
      for (const id of streams) expect(await store.readStream(id)).toEqual(await warm.readStream(id));
      expect(store.stats()).toMatchObject({ promotions: 30, hits: 30, hotErrors: 0 });
      // Two keys per stream, on every master: scripts touching both keys of a stream run on one node.
      const perNode = await cluster.keysPerNode();
      expect(perNode.reduce((a, b) => a + b, 0)).toBe(60);
      expect(perNode.every((n) => n > 0)).toBe(true);

      // The snapshot scripts touch a stream's snapshot keys only: its hash tag, its node.
      const snapshots = store.snapshots!;
      const snap = (streamId: string, version: number) => ({
        streamId,
        version,
        stateVersion: 1,
        state: { streamId },
      });
      for (const id of streams) await snapshots.saveSnapshot(snap(id, 3));
      for (const id of streams) await snapshots.loadSnapshot(id);
      await store.flush();
      for (const id of streams) expect(await snapshots.loadSnapshot(id)).toMatchObject(snap(id, 3));
      expect(store.stats().snapshots).toMatchObject({ promotions: 30, hits: 30 });

      // Concurrent appends' looks go out together: on a Cluster one by one (each stream has its
      // own slot), never as one script the Cluster would refuse.
      await Promise.all(streams.map((id) => store.append(id, newEvents(1))));
      await store.flush();
      expect(store.stats()).toMatchObject({ writeThroughs: 30, hotErrors: 0 });

      await cluster.killNode(cluster.ports[0]!);
      for (let round = 0; round < 3; round++) {
        for (const id of streams) {
          await store.append(id, newEvents(1));
          expect(await store.readStream(id)).toEqual(await warm.readStream(id));
          await snapshots.saveSnapshot(snap(id, 4 + round));
          expect(await snapshots.loadSnapshot(id)).toEqual(await warm.snapshots.loadSnapshot(id));
        }
      }
      expect([...(await store.readStreams(streams)).values()].map((events) => events.length)).toEqual(
        streams.map(() => 7),
      );
      expect(store.stats().hotErrors).toBeGreaterThan(0);
      await store.flush();
    } finally {
      await store.close();
      await warm.close();
      client.disconnect();
    }
  }, 60_000);
});
