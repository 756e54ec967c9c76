import { randomUUID } from 'node:crypto';
import { type AppendResult, MAX_POSITION, PositionsExhaustedError } from '@strata/core';
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

const TWO_TO_53 = 2n ** 53n;

function events(count: number) {
  return Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'seeded', data: { n } }));
}

describeWithRedis('positions near 2^53 and 2^63 (standalone)', await redisIsReachable(), () => {
  const client = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(client, prefix);
    await client.quit();
  });

  async function seededStore(lastPosition: bigint): Promise<RedisEventStore> {
    const keyPrefix = testKeyPrefix('positions');
    prefixes.push(keyPrefix);
    await seedLastPosition(client, keyPrefix, lastPosition);
    return new RedisEventStore({ client, keyPrefix });
  }

  it('the script counts positions past 2^53 exactly (Lua numbers are doubles)', async () => {
    const store = await seededStore(TWO_TO_53 - 3n);
    const result = await store.append(`s-${randomUUID()}`, events(6));
    const expected = [1n, 2n, 3n, 4n, 5n, 6n].map((i) => TWO_TO_53 - 3n + i);
    expect(result.events?.map((e) => e.position)).toEqual(expected);
    expect((await store.readAll({ after: TWO_TO_53 - 3n })).map((e) => e.position)).toEqual(expected);
    expect((await store.readAll({ after: TWO_TO_53 + 1n, limit: 2 })).map((e) => e.position)).toEqual(
      expected.slice(4, 6),
    );
    expect((await store.readAll({ after: TWO_TO_53, types: ['seeded'] })).length).toBe(3);
  });

  it('an append at an exact version learns its positions and type right, below 2^53 and past it', async () => {
    const store = await seededStore(TWO_TO_53 - 3n);
    const streamId = `s-${randomUUID()}`;
    const typesOf = (result: AppendResult) => result.events?.map((e) => e.streamType);
    // Below 2^53 the script answers with the last position alone; past it, with text.
    const first = await store.append(streamId, events(1), { expectedVersion: 0, streamType: 'order' });
    expect([first.firstVersion, first.lastVersion, first.lastPosition]).toEqual([1, 1, TWO_TO_53 - 2n]);
    expect(first.events?.map((e) => [e.version, e.position])).toEqual([[1, TWO_TO_53 - 2n]]);
    const crossing = await store.append(streamId, events(3), { expectedVersion: 1, streamType: 'order' });
    expect([crossing.firstVersion, crossing.lastVersion, crossing.lastPosition]).toEqual([
      2,
      4,
      TWO_TO_53 + 1n,
    ]);
    expect(crossing.events?.map((e) => e.position)).toEqual([TWO_TO_53 - 1n, TWO_TO_53, TWO_TO_53 + 1n]);
    // Naming another type: the events still carry the stream's own.
    const other = await store.append(streamId, events(1), { expectedVersion: 4, streamType: 'invoice' });
    expect([other.firstVersion, other.lastPosition, typesOf(other)]).toEqual([5, TWO_TO_53 + 2n, ['order']]);
    expect(typesOf(crossing)).toEqual(['order', 'order', 'order']);
    expect((await store.readStream(streamId)).map((e) => e.position)).toEqual(
      [-2n, -1n, 0n, 1n, 2n].map((d) => TWO_TO_53 + d),
    );
  });

  it('an exact-version append on a fresh store gets an exact result, and a conflict names the version', async () => {
    const keyPrefix = testKeyPrefix('positions');
    prefixes.push(keyPrefix);
    const store = new RedisEventStore({ client, keyPrefix });
    const streamId = `s-${randomUUID()}`;
    const result = await store.append(streamId, events(2), { expectedVersion: 0 });
    expect([result.firstVersion, result.lastVersion, result.lastPosition]).toEqual([1, 2, 2n]);
    expect(result.events?.map((e) => [e.version, e.position, e.streamType])).toEqual([
      [1, 1n, 'default'],
      [2, 2n, 'default'],
    ]);
    await expect(store.append(streamId, events(1), { expectedVersion: 1 })).rejects.toMatchObject({
      expectedVersion: 1,
      actualVersion: 2,
    });
  });

  it('lastPosition() is the start until the first append, then the last position, exact past 2^53', async () => {
    const store = await seededStore(TWO_TO_53 - 3n);
    expect(await store.lastPosition()).toBe(TWO_TO_53 - 3n);
    await store.append(`s-${randomUUID()}`, events(4));
    expect(await store.lastPosition()).toBe(TWO_TO_53 + 1n);
    const { lastPosition } = await store.append(`s-${randomUUID()}`, events(1));
    expect(await store.lastPosition()).toBe(lastPosition);
  });

  it('an append past 2^63 - 1 is refused with the typed error and writes nothing', async () => {
    const store = await seededStore(MAX_POSITION - 2n);
    const streamId = `s-${randomUUID()}`;
    await expect(store.append(streamId, events(3))).rejects.toThrow(PositionsExhaustedError);
    expect(await store.streamVersion(streamId)).toBe(0);
    const batch = events(2);
    expect((await store.append(streamId, batch)).lastPosition).toBe(MAX_POSITION);
    await expect(store.append(streamId, events(1))).rejects.toThrow(PositionsExhaustedError);
    expect((await store.append(streamId, batch)).lastPosition).toBe(MAX_POSITION);
    expect((await store.readAll({ after: MAX_POSITION - 2n })).map((e) => e.position)).toEqual([
      MAX_POSITION - 1n,
      MAX_POSITION,
    ]);
  });

  it('stores a position of up to 15 digits as a JSON number and a longer one as a string; reads take both', async () => {
    const keyPrefix = testKeyPrefix('positions');
    prefixes.push(keyPrefix);
    await seedLastPosition(client, keyPrefix, 10n ** 15n - 2n);
    const store = new RedisEventStore({ client, keyPrefix });
    const streamId = `s-${randomUUID()}`;
    await store.append(streamId, events(3));
    const stored = await client.lrange(`${keyPrefix}{${streamId}}:e`, 0, -1);
    expect(stored.map((entry) => JSON.parse(entry)[2])).toEqual([
      999_999_999_999_999,
      '1000000000000000',
      '1000000000000001',
    ]);

    // Entries written before positions were numbers held every position as a string.
    const logIndex = Number(await client.llen(`${keyPrefix}log`)) - 3;
    const quoted = stored[0]!.replace(',999999999999999,', ',"999999999999999",');
    await client.lset(`${keyPrefix}{${streamId}}:e`, 0, quoted);
    await client.lset(`${keyPrefix}log`, logIndex, `${quoted.slice(0, -1)},${JSON.stringify(streamId)}]`);
    const expected = [10n ** 15n - 1n, 10n ** 15n, 10n ** 15n + 1n];
    expect((await store.readStream(streamId)).map((e) => e.position)).toEqual(expected);
    expect((await store.readAll({ after: 10n ** 15n - 2n })).map((e) => e.position)).toEqual(expected);

    // A rewrite writes the position as new entries hold it.
    const [first] = await store.readStream(streamId);
    await store.rewriteEvent({
      streamId,
      version: 1,
      id: first!.id,
      position: first!.position,
      expectedType: 'seeded',
      expectedSchemaVersion: 1,
      type: 'seeded',
      schemaVersion: 2,
      data: { n: 0 },
      metadata: {},
    });
    expect(JSON.parse((await client.lindex(`${keyPrefix}{${streamId}}:e`, 0))!)[2]).toBe(999_999_999_999_999);
    expect((await store.readAll({ after: 10n ** 15n - 2n, limit: 1 }))[0]).toMatchObject({
      position: expected[0],
      schemaVersion: 2,
    });
  });
});
