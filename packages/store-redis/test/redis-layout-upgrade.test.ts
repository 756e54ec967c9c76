import { randomUUID } from 'node:crypto';
import { DuplicateEventError, type RecordedEvent } from '@strata/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { RedisEventStore } from '../src/index.js';
import { seedLastPosition } from './support/redis-seed-position.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';
import { appendWithReleasedScript, type ReleasedEvent } from './support/released-append-script.js';

const TWO_TO_53 = 2n ** 53n;

function released(count: number, label: string): ReleasedEvent[] {
  return Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    type: `${label}.happened`,
    data: { n, label, nested: { list: [n, `${n}`] } },
    metadata: { by: `user-${n}`, correlation: randomUUID() },
    schemaVersion: n + 1,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  }));
}

/**
 * Issue 12 rewrote how the append script builds its entries, not what it stores: data written by
 * the released script (0.1, kept verbatim in the support file) and by this one must read back the
 * same, side by side. These tests write with the released script, then read, append and retry
 * with the current code, and check the raw layout is still the released one.
 */
describeWithRedis('a standalone store over data the released script wrote', await redisIsReachable(), () => {
  const client = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(client, prefix);
    await client.quit();
  });

  /** Two streams written by the released script, positions from just under 2^53 to past it. */
  async function releasedData() {
    const keyPrefix = testKeyPrefix('upgrade');
    prefixes.push(keyPrefix);
    await seedLastPosition(client, keyPrefix, TWO_TO_53 - 2n);
    const recordedAt = Date.UTC(2026, 5, 1);
    const batches: { streamId: string; streamType: string; events: ReleasedEvent[] }[] = [
      { streamId: 'order-{1}', streamType: 'order', events: released(3, 'placed') },
      { streamId: 'cart-2', streamType: 'cart', events: released(2, 'added') },
      { streamId: 'order-{1}', streamType: 'order', events: released(1, 'paid') },
    ];
    const expected: RecordedEvent[] = [];
    const versions = new Map<string, number>();
    let position = TWO_TO_53 - 2n;
    for (const { streamId, streamType, events } of batches) {
      const before = versions.get(streamId) ?? 0;
      const reply = await appendWithReleasedScript(
        client,
        keyPrefix,
        streamId,
        streamType,
        before,
        events,
        recordedAt,
      );
      expect(reply[0]).toBe('ok');
      events.forEach((event, i) => {
        position += 1n;
        expected.push({
          id: event.id,
          streamId,
          streamType,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          schemaVersion: event.schemaVersion,
          version: before + i + 1,
          position,
          occurredAt: event.occurredAt,
          recordedAt: new Date(recordedAt),
        });
      });
      versions.set(streamId, before + events.length);
    }
    return { keyPrefix, batches, expected };
  }

  it('reads what the released script wrote back identical: streams, the log, positions past 2^53', async () => {
    const { keyPrefix, expected } = await releasedData();
    const store = new RedisEventStore({ client, keyPrefix });
    expect(expected.at(-1)?.position).toBe(TWO_TO_53 + 4n);
    expect(await store.readAll()).toEqual(expected);
    expect(await store.readStream('order-{1}')).toEqual(expected.filter((e) => e.streamId === 'order-{1}'));
    expect(await store.readStream('cart-2', { direction: 'backward', limit: 1 })).toEqual([expected[4]]);
    expect(await store.readAll({ types: ['paid.happened'] })).toEqual([expected[5]]);
  });

  it('appends continue after released data, in the same layout, read together in one stream and the log', async () => {
    const { keyPrefix, expected } = await releasedData();
    const store = new RedisEventStore({ client, keyPrefix });
    const next = await store.append('order-{1}', [{ type: 'shipped', data: { to: 'x' } }], {
      expectedVersion: 4,
    });
    expect(next).toMatchObject({ firstVersion: 5, lastVersion: 5, lastPosition: TWO_TO_53 + 5n });
    const fresh = await store.append('new-3', [{ type: 'opened', data: null, metadata: { m: 1 } }]);
    expect(fresh.lastPosition).toBe(TWO_TO_53 + 6n);

    const all = await store.readAll();
    expect(all.slice(0, expected.length)).toEqual(expected);
    expect(all.slice(expected.length)).toEqual([...(next.events ?? []), ...(fresh.events ?? [])]);
    const order = await store.readStream('order-{1}');
    expect(order.map((e) => [e.version, e.position])).toEqual([
      [1, TWO_TO_53 - 1n],
      [2, TWO_TO_53],
      [3, TWO_TO_53 + 1n],
      [4, TWO_TO_53 + 4n],
      [5, TWO_TO_53 + 5n],
    ]);
    expect(order.at(-1)).toEqual(next.events?.[0]);
    // The layout is the released one: stream entries of 10 fields, the log's with the stream id added.
    const raw = await client.lrange(`${keyPrefix}{order-%7B1%7D}:e`, 0, -1);
    expect(raw.map((entry) => (JSON.parse(entry) as unknown[]).length)).toEqual([10, 10, 10, 10, 10]);
    const logged = await client.lindex(`${keyPrefix}log`, 6);
    expect(logged).toBe(`${raw[4]!.slice(0, -1)},"order-{1}"]`);
  });

  it('a retry of a batch the released script committed returns its result; a reused id is refused', async () => {
    const { keyPrefix, batches, expected } = await releasedData();
    const store = new RedisEventStore({ client, keyPrefix });
    const cart = batches[1]!;
    const retried = await store.append(cart.streamId, cart.events, {
      streamType: cart.streamType,
      expectedVersion: 'no_stream',
    });
    expect(retried).toEqual({
      streamId: 'cart-2',
      firstVersion: 1,
      lastVersion: 2,
      lastPosition: expected[4]!.position,
    });
    const reused = { ...batches[0]!.events[0]!, id: batches[0]!.events[0]!.id };
    await expect(store.append('other-4', [reused])).rejects.toSatisfy(DuplicateEventError.isInstance);
    expect(await store.readAll()).toEqual(expected);
  });
});
