import type { AppendNotice } from '@strata/core';
import { OwnRedisCluster } from '@strata/test-servers';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisEventStore, recommendedRedisOptions } from '../src/index.js';
import { keySlot } from '../src/key-slot.js';
import { RedisKeys } from '../src/redis-keys.js';
import { testKeyPrefix } from './support/redis-test-server.js';

const LIVENESS = { timeout: 30_000, interval: 10 };
const keyPrefix = testKeyPrefix('cluster-append-notices');
let cluster: OwnRedisCluster;
const clients: Cluster[] = [];

/** One Cluster client per store: two stores are two processes as far as the cluster can tell. */
function clusterClient(): Cluster {
  const client = new Cluster(cluster.startupNodes, {
    redisOptions: recommendedRedisOptions(2000),
    slotsRefreshTimeout: 1000,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  cluster = await OwnRedisCluster.start();
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await cluster?.stop();
});

describe('store.appendNotifier on a Redis Cluster of three masters', () => {
  it('hears appends to streams on every master, from another store, through one subscriber', async () => {
    const reader = new RedisEventStore({ client: clusterClient(), keyPrefix });
    const writer = new RedisEventStore({ client: clusterClient(), keyPrefix });
    const notices: AppendNotice[] = [];
    const errors: unknown[] = [];
    const unsubscribe = reader.appendNotifier.subscribe({
      onAppend: (notice) => void notices.push(notice),
      onError: (error) => void errors.push(error),
    });
    try {
      await vi.waitFor(() => expect(reader.appendNotifier.listening).toBe(true), LIVENESS);
      // Streams whose keys live on different masters (slots spread over the three ranges).
      const keys = new RedisKeys(keyPrefix);
      const streams: string[] = [];
      const ranges = new Set<number>();
      for (let i = 0; streams.length < 3 && i < 1000; i++) {
        // redis-cli splits the slots of three masters at 5460 and 10922.
        const slot = keySlot(keys.events(`s-${i}`));
        const range = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
        if (!ranges.has(range)) {
          ranges.add(range);
          streams.push(`s-${i}`);
        }
      }
      expect(streams).toHaveLength(3);
      const written: bigint[] = [];
      for (const stream of streams) {
        written.push((await writer.append(stream, [{ type: 'a', data: {} }])).lastPosition);
      }
      // Each PUBLISH goes to some node and reaches the others over the cluster bus: the order
      // between nodes is not kept, so compare as sets.
      const heard = () => notices.flatMap((n) => (n.lastPosition === undefined ? [] : [n.lastPosition]));
      await vi.waitFor(() => expect(new Set(heard())).toEqual(new Set(written)), LIVENESS);
      expect(heard()).toHaveLength(3);
      expect(errors).toEqual([]);
    } finally {
      unsubscribe();
      await reader.close();
      await writer.close();
    }
  }, 60_000);
});
