import { randomUUID } from 'node:crypto';
import { ConcurrencyError, UnsupportedOperationError, ValidationError } from '@strata/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { RedisEventStore } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  proxyToSharedServer,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

const keyPrefix = testKeyPrefix('layout');

describeWithRedis('RedisEventStore storage (standalone)', await redisIsReachable(), () => {
  const client = new Redis(REDIS_URL);
  const store = new RedisEventStore({ client, keyPrefix });

  afterAll(async () => {
    await store.close();
    await deleteKeys(client, keyPrefix);
    await client.quit();
  });

  it('keeps a stream as one list of JSON arrays and the log as a list indexed by position', async () => {
    const occurredAt = new Date('2026-01-02T03:04:05.678Z');
    const result = await store.append(
      'order-1',
      [{ id: 'e-1', type: 'order.placed', data: { total: 10 }, metadata: { by: 'u' }, occurredAt }],
      { streamType: 'order' },
    );
    await store.append('order-1', [{ id: 'e-2', type: 'order.paid', data: null }], { streamType: 'ignored' });

    const entries = (await client.lrange(`${keyPrefix}{order-1}:e`, 0, -1)).map((e) => JSON.parse(e));
    expect(entries[0]).toEqual([
      'order.placed',
      1,
      Number(result.lastPosition),
      expect.any(Number),
      'order',
      'e-1',
      1,
      occurredAt.getTime(),
      { total: 10 },
      { by: 'u' },
    ]);
    expect(entries[1]?.slice(0, 2)).toEqual(['order.paid', 2]);
    expect(entries[1]?.[4]).toBe('order');
    expect(await client.get(`${keyPrefix}{order-1}:t`)).toBe('"order"');
    const logged = JSON.parse((await client.lindex(`${keyPrefix}log`, Number(result.lastPosition) - 1))!);
    expect(logged).toEqual([...entries[0]!, 'order-1']);
    expect(await client.hget(`${keyPrefix}ids`, 'e-1')).toBe(`1:${result.lastPosition}:order-1`);
  });

  it('an append returns the events it wrote, as reads return them; a retry, which wrote nothing, none', async () => {
    const streamId = `events-${randomUUID()}`;
    await store.append(streamId, [{ type: 'first', data: 0 }], { streamType: 'order' });
    const batch = [
      { id: randomUUID(), type: 'e', data: { n: 1 }, metadata: { by: 'u' } },
      { id: randomUUID(), type: 'e', data: [2] },
    ];
    const written = await store.append(streamId, batch, { streamType: 'ignored' });
    expect(written.events).toEqual(await store.readStream(streamId, { fromVersion: 2 }));
    expect(written.events?.map((e) => e.streamType)).toEqual(['order', 'order']);
    const retried = await store.append(streamId, batch);
    expect(retried).toEqual(written);
    expect(retried.events).toBeUndefined();
  });

  it('keeps the storage id under <prefix>storage: set once by the first store to ask, read by all', async () => {
    const prefix = testKeyPrefix('storage-id');
    const stores = [1, 2].map(() => new RedisEventStore({ client, keyPrefix: prefix }));
    try {
      const [one, two] = await Promise.all(stores.map((s) => s.storageId()));
      expect(one).toMatch(/^[0-9a-f]{32}$/);
      expect(two).toBe(one);
      expect(await client.get(`${prefix}storage`)).toBe(one);
      expect(await store.storageId()).not.toBe(one);
    } finally {
      for (const s of stores) await s.close();
      await deleteKeys(client, prefix);
    }
  });

  it("keeps its keys under the prefix of a client the caller made with ioredis' keyPrefix", async () => {
    const clientPrefix = `${keyPrefix}client:`;
    const prefixed = new Redis(REDIS_URL, { keyPrefix: clientPrefix });
    const innerPrefix = `inner-${randomUUID()}:`;
    const inner = new RedisEventStore({ client: prefixed, keyPrefix: innerPrefix });
    try {
      const first = await inner.append('order-1', [{ type: 'placed', data: 1 }], {
        expectedVersion: 'no_stream',
      });
      await inner.append('order-1', [{ type: 'paid', data: 2 }], { expectedVersion: 1 });
      expect((await inner.readStream('order-1')).map((e) => e.type)).toEqual(['placed', 'paid']);
      expect((await inner.readAll()).map((e) => e.type)).toEqual(['placed', 'paid']);
      expect(await client.llen(`${clientPrefix}${innerPrefix}{order-1}:e`)).toBe(2);
      expect(await client.exists(`${innerPrefix}{order-1}:e`)).toBe(0);
      await expect(
        inner.append('order-1', [{ type: 'late', data: 3 }], { expectedVersion: 1 }),
      ).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(first.lastPosition).toBe(1n);
    } finally {
      await inner.close();
      await prefixed.quit();
    }
  });

  it('gives stream ids with braces and percent signs their own keys', async () => {
    const ids = ['a}b', 'a%7Db', '{x}', 'x', '%', '}{'];
    for (const [i, streamId] of ids.entries()) {
      await store.append(
        streamId,
        Array.from({ length: i + 1 }, () => ({ type: 'brace', data: streamId })),
      );
    }
    const read = await store.readStreams(ids);
    for (const [i, streamId] of ids.entries()) {
      expect(read.get(streamId)?.map((e) => e.data)).toEqual(Array(i + 1).fill(streamId));
      expect(await store.streamVersion(streamId)).toBe(i + 1);
    }
  });

  it('filters readAll by type exactly, also for types that are prefixes of others or hold quotes', async () => {
    const { lastPosition: after } = await store.append('marker', [{ type: 'marker', data: null }]);
    const types = ['t', 't2', 't"', 't\\', 'tü', '"t"'];
    for (const type of types) await store.append('typed', [{ type, data: type }]);
    for (const type of types) {
      expect((await store.readAll({ after, types: [type] })).map((e) => e.data)).toEqual([type]);
    }
  });

  it('reads many streams in a few round trips (pipelined), not one per stream', async () => {
    const proxy = await proxyToSharedServer();
    const viaProxy = new RedisEventStore({ url: proxy.route(REDIS_URL), keyPrefix });
    const ids = Array.from({ length: 300 }, (_, i) => `pipelined-${i}`);
    await viaProxy.streamVersion('connect-first');
    const before = proxy.chunksFromClients;
    const read = await viaProxy.readStreams(ids);
    expect(read.size).toBe(300);
    expect(proxy.chunksFromClients - before).toBeLessThan(10);
    await viaProxy.close();
    await proxy.close();
  });

  it("in 'cluster' mode on a standalone server: per-stream ids, no readAll", async () => {
    const clustered = new RedisEventStore({ client, keyPrefix: `${keyPrefix}c:`, mode: 'cluster' });
    expect(clustered.mode).toBe('cluster');
    const events = [{ id: 'same', type: 't', data: 1 }];
    const first = await clustered.append('one', events);
    expect(await clustered.append('one', events)).toEqual(first);
    await expect(clustered.append('one', [{ type: 't', data: 2 }], { expectedVersion: 0 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    expect(await clustered.append('two', events)).toMatchObject({ firstVersion: 1 });
    const error = await clustered.readAll().catch((e: unknown) => e);
    expect(UnsupportedOperationError.isInstance(error)).toBe(true);
    const lastPosition = await clustered.lastPosition().catch((e: unknown) => e);
    expect(UnsupportedOperationError.isInstance(lastPosition)).toBe(true);
  });

  it('refuses an empty or blank keyPrefix, which would leave bare keys such as log and ids', () => {
    for (const keyPrefix of ['', ' ', '\t\n']) {
      let error: unknown;
      try {
        new RedisEventStore({ client, keyPrefix });
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isInstance(error), JSON.stringify(keyPrefix)).toBe(true);
      expect(error).toMatchObject({ path: 'options.keyPrefix' });
    }
  });

  it('rejects bad options with ValidationError', () => {
    const bad = [
      {},
      { client, url: REDIS_URL },
      { client, keyPrefix: 'app{1}:' },
      { client, timeoutMs: 0 },
      { client, mode: 'sharded' as 'cluster' },
      {
        client: Object.assign(new Redis({ lazyConnect: true }), { isCluster: true }),
        mode: 'standalone' as const,
      },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        new RedisEventStore(options);
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isInstance(error), JSON.stringify(Object.keys(options))).toBe(true);
    }
  });
});
