import type { RecordedEvent } from '@strata/core';
import { ValidationError } from '@strata/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisHotTier, type HotReadRange, type RedisHotTier } from '../src/index.js';
import { sleep } from './support/poll.js';
import { deleteKeys, dropFirstEntry, randomKeyPrefix, redisClient } from './support/redis-env.js';

const redis = redisClient();
const prefix = randomKeyPrefix();
let hot: RedisHotTier;
beforeAll(async () => {
  await redis.connect();
  hot = createRedisHotTier(redis, { keyPrefix: prefix, timeoutMs: 2_000 });
});
afterEach(() => deleteKeys(redis, prefix));
afterAll(() => redis.quit());

const write = { verifiedAt: 1_000, ttlSeconds: 60, maxEvents: 100 };
const all: HotReadRange = {
  fromVersion: 1,
  toVersion: Number.MAX_SAFE_INTEGER,
  limit: undefined,
  direction: 'forward',
};

/** How many times the server ran `command` so far (`INFO commandstats`). */
async function commandCalls(command: string): Promise<number> {
  const info = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

function events(streamId: string, from: number, to: number): RecordedEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    id: `${streamId}-${from + i}`,
    streamId,
    streamType: 'order',
    type: 'order.changed',
    data: { v: from + i, nested: [1, 'two', null, { deep: true }], text: 'é "quoted" \u{1F600}' },
    metadata: { by: 'test' },
    schemaVersion: 2,
    version: from + i,
    position: 2n ** 60n + BigInt(from + i),
    occurredAt: new Date(1_700_000_000_123 + from + i),
    recordedAt: new Date(1_700_000_001_456 + from + i),
  }));
}

describe('RedisHotTier', () => {
  it('stores a copy and reads back exactly the events it was given, with its bounds', async () => {
    await hot.promote('s', events('s', 1, 5), write);
    const read = await hot.read('s', all, undefined);
    expect(read).toEqual({
      kind: 'covered',
      copy: { fromVersion: 1, toVersion: 5, verifiedAt: 1_000 },
      events: events('s', 1, 5),
    });
    expect(await hot.read('s', { ...all, fromVersion: 2, limit: 2 }, undefined)).toMatchObject({
      events: events('s', 2, 3),
    });
    expect(await hot.read('s', { ...all, direction: 'backward', limit: 2 }, undefined)).toMatchObject({
      events: events('s', 4, 5),
    });
    expect(await hot.read('missing', all, undefined)).toEqual({ kind: 'absent' });
  });

  it('a copy that starts after the requested version does not cover the read', async () => {
    await hot.promote('s', events('s', 4, 6), write);
    expect(await hot.read('s', all, undefined)).toEqual({
      kind: 'uncovered',
      copy: { fromVersion: 4, toVersion: 6, verifiedAt: 1_000 },
    });
    expect(await hot.read('s', { ...all, fromVersion: 5 }, undefined)).toMatchObject({
      events: events('s', 5, 6),
    });
  });

  it('a copy that lost its head, its offsets or its data is deleted, never served', async () => {
    await hot.promote('head', events('head', 1, 5), write);
    await dropFirstEntry(redis, `${prefix}{head}`);
    expect(await hot.read('head', all, undefined)).toEqual({ kind: 'dropped' });
    expect(await redis.exists(`${prefix}{head}:d`, `${prefix}{head}:o`)).toBe(0);

    // Without its offsets a copy still answers a whole read (the data holds its bounds), but
    // nothing that needs them: range reads, extensions.
    await hot.promote('offsets', events('offsets', 1, 5), write);
    await redis.pexpire(`${prefix}{offsets}:o`, 1);
    await sleep(10);
    expect(await hot.read('offsets', all, undefined)).toMatchObject({ kind: 'covered' });
    expect(await hot.read('offsets', { ...all, fromVersion: 2 }, undefined)).toEqual({ kind: 'dropped' });
    expect(await redis.exists(`${prefix}{offsets}:d`)).toBe(0);

    await hot.promote('data', events('data', 1, 5), write);
    await redis.pexpire(`${prefix}{data}:d`, 1);
    await sleep(10);
    expect(await hot.read('data', all, undefined)).toEqual({ kind: 'absent' });
    expect(await hot.read('data', { ...all, fromVersion: 2 }, undefined)).toEqual({ kind: 'dropped' });
    expect(await hot.read('data', { ...all, fromVersion: 2 }, undefined)).toEqual({ kind: 'absent' });
    expect(await hot.extend('data', 5, 6, events('data', 6, 6), write)).toBe('absent');

    // Bytes that are not what the tier wrote (another program's, or a torn write) are not served.
    await hot.promote('garbage', events('garbage', 1, 2), write);
    await redis.append(`${prefix}{garbage}:d`, 'x,');
    expect(await hot.read('garbage', all, undefined)).toEqual({ kind: 'dropped' });
    await redis.set(`${prefix}{garbage}:d`, 'not a copy');
    expect(await hot.read('garbage', all, undefined)).toEqual({ kind: 'dropped' });
  });

  it('promotes only over an absent or older copy; an older promotion moves verifiedAt up only', async () => {
    expect(await hot.promote('s', events('s', 1, 5), write)).toBe('stored');
    expect(await hot.promote('s', events('s', 1, 3), { ...write, verifiedAt: 2_000 })).toBe('kept');
    expect(await hot.read('s', all, undefined)).toMatchObject({ copy: { toVersion: 5, verifiedAt: 2_000 } });
    expect(await hot.promote('s', events('s', 1, 3), { ...write, verifiedAt: 500 })).toBe('kept');
    expect(await hot.read('s', all, undefined)).toMatchObject({ copy: { toVersion: 5, verifiedAt: 2_000 } });
    // A longer head with the same end replaces a tail copy; a newer end replaces it too.
    await hot.promote('t', events('t', 3, 5), write);
    expect(await hot.promote('t', events('t', 1, 5), write)).toBe('stored');
    expect(await hot.promote('t', events('t', 2, 6), write)).toBe('stored');
    expect(await hot.read('t', { ...all, fromVersion: 2 }, undefined)).toMatchObject({
      copy: { fromVersion: 2, toVersion: 6 },
      events: events('t', 2, 6),
    });
  });

  it('extends a copy only when it ends exactly where the appended events begin, else deletes it', async () => {
    await hot.promote('s', events('s', 1, 3), write);
    expect(await hot.extend('s', 3, 5, events('s', 4, 5), { ...write, verifiedAt: 3_000 })).toBe('extended');
    expect(await hot.read('s', all, undefined)).toEqual({
      kind: 'covered',
      copy: { fromVersion: 1, toVersion: 5, verifiedAt: 3_000 },
      events: events('s', 1, 5),
    });
    // Arriving late (the copy already holds versions 4..5): kept as it is.
    expect(await hot.extend('s', 3, 5, events('s', 4, 5), write)).toBe('kept');
    // Not lined up (an append the hot tier never heard of ended at 6): deleted.
    expect(await hot.extend('s', 6, 7, events('s', 7, 7), write)).toBe('dropped');
    expect(await hot.read('s', all, undefined)).toEqual({ kind: 'absent' });
    // Never creates a copy.
    expect(await hot.extend('new', 0, 2, events('new', 1, 2), write)).toBe('absent');
    expect(await hot.read('new', all, undefined)).toEqual({ kind: 'absent' });
    // Without the events, a copy ending where they begin cannot be extended: deleted.
    await hot.promote('s', events('s', 1, 3), write);
    expect(await hot.extend('s', 3, 4, [], write)).toBe('dropped');
  });

  it('an extension beyond maxEvents cuts the copy to its newest three quarters', async () => {
    const capped = { ...write, maxEvents: 8 };
    await hot.promote('s', events('s', 1, 8), capped);
    expect(await hot.extend('s', 8, 9, events('s', 9, 9), capped)).toBe('extended');
    expect(await hot.peek('s')).toMatchObject({ fromVersion: 4, toVersion: 9 });
    expect(await redis.strlen(`${prefix}{s}:o`)).toBe(6 * 4);
    // The cut copy's offsets still point at its events, and it keeps growing from there.
    expect(await hot.extend('s', 9, 11, events('s', 10, 11), capped)).toBe('extended');
    expect(await hot.read('s', all, undefined)).toMatchObject({ kind: 'uncovered' });
    expect(await hot.read('s', { ...all, fromVersion: 4 }, undefined)).toMatchObject({
      copy: { fromVersion: 4, toVersion: 11 },
      events: events('s', 4, 11),
    });
    expect(await hot.read('s', { ...all, fromVersion: 5, limit: 3 }, undefined)).toMatchObject({
      events: events('s', 5, 7),
    });
    expect(
      await hot.read('s', { ...all, fromVersion: 4, direction: 'backward', limit: 2 }, undefined),
    ).toMatchObject({
      events: events('s', 10, 11),
    });
  });

  it('sets the TTL on both keys when written, and refreshes it on read only when asked', async () => {
    await hot.promote('s', events('s', 1, 2), { ...write, ttlSeconds: 100 });
    for (const key of ['d', 'o']) expect(await redis.ttl(`${prefix}{s}:${key}`)).toBeGreaterThan(90);
    await redis.expire(`${prefix}{s}:d`, 50);
    await redis.expire(`${prefix}{s}:o`, 50);
    await hot.read('s', all, undefined);
    expect(await redis.ttl(`${prefix}{s}:d`)).toBeLessThanOrEqual(50);
    await hot.read('s', all, 100);
    for (const key of ['d', 'o']) expect(await redis.ttl(`${prefix}{s}:${key}`)).toBeGreaterThan(90);
    // An extension keeps both keys' TTL in step.
    await hot.extend('s', 2, 3, events('s', 3, 3), { ...write, ttlSeconds: 200 });
    for (const key of ['d', 'o']) expect(await redis.ttl(`${prefix}{s}:${key}`)).toBeGreaterThan(190);
  });

  it('peekMany answers every stream in one round trip, in order, none for a missing or foreign value', async () => {
    await hot.promote('a', events('a', 1, 3), write);
    await hot.promote('c', events('c', 4, 9), { ...write, verifiedAt: 2_000 });
    await redis.set(`${prefix}{d}:d`, 'not a header of a copy');
    const before = await commandCalls('evalsha');
    expect(await hot.peekMany(['a', 'b', 'c', 'd', 'a'])).toEqual([
      { fromVersion: 1, toVersion: 3, verifiedAt: 1_000 },
      undefined,
      { fromVersion: 4, toVersion: 9, verifiedAt: 2_000 },
      undefined,
      { fromVersion: 1, toVersion: 3, verifiedAt: 1_000 },
    ]);
    expect(await commandCalls('evalsha')).toBe(before + 1);
    expect(await hot.peekMany([])).toEqual([]);
  });

  it('confirm moves verifiedAt up only while the copy still ends at the confirmed version', async () => {
    await hot.promote('s', events('s', 1, 3), write);
    expect(await hot.confirm('s', 2, 5_000)).toBe(false);
    expect(await hot.confirm('s', 3, 5_000)).toBe(true);
    expect(await hot.confirm('s', 3, 4_000)).toBe(false);
    expect(await hot.peek('s')).toEqual({ fromVersion: 1, toVersion: 3, verifiedAt: 5_000 });
    await hot.invalidate('s');
    expect(await hot.peek('s')).toBeUndefined();
  });

  it('keys of one stream share a hash tag, and braces in stream ids cannot collide or break it', async () => {
    await hot.promote('a{b}', events('a{b}', 1, 1), write);
    await hot.promote('a%7Bb%7D', events('a%7Bb%7D', 1, 2), write);
    const keys = (await redis.keys(`${prefix}*`)).sort();
    expect(keys).toEqual(
      [
        `${prefix}{a%7Bb%7D}:d`,
        `${prefix}{a%7Bb%7D}:o`,
        `${prefix}{a%257Bb%257D}:d`,
        `${prefix}{a%257Bb%257D}:o`,
      ].sort(),
    );
    expect(await hot.read('a{b}', all, undefined)).toMatchObject({ events: events('a{b}', 1, 1) });
    expect(await hot.read('a%7Bb%7D', all, undefined)).toMatchObject({ events: events('a%7Bb%7D', 1, 2) });
  });

  it('promotes and reads a 10,000-event copy, whole and by range', async () => {
    const many = events('big', 1, 10_000);
    await hot.promote('big', many, { ...write, maxEvents: 20_000 });
    const read = await hot.read('big', all, undefined);
    expect(read.kind === 'covered' && read.events).toEqual(many);
    const range = await hot.read('big', { ...all, fromVersion: 9_990, toVersion: 9_995 }, undefined);
    expect(range.kind === 'covered' && range.events).toEqual(events('big', 9_990, 9_995));
  });

  it('calls made while a lazy client connects all wait for it, on one set of listeners', async () => {
    const lazy = redisClient();
    const tier = createRedisHotTier(lazy, { keyPrefix: prefix, timeoutMs: 2_000 });
    try {
      expect(lazy.status).toBe('wait');
      const peeks = Array.from({ length: 20 }, (_, i) => tier.peek(`lazy-${i}`));
      // One listener per event for the connection being set up, however many calls wait.
      expect([lazy.listenerCount('ready'), lazy.listenerCount('close')]).toEqual([1, 1]);
      expect(await Promise.all(peeks)).toEqual(peeks.map(() => undefined));
      expect([lazy.listenerCount('ready'), lazy.listenerCount('close')]).toEqual([0, 0]);
    } finally {
      lazy.disconnect();
    }
  });

  it('rejects a key prefix with braces', () => {
    expect(() => createRedisHotTier(redis, { keyPrefix: 'a{b' })).toThrow(ValidationError);
    expect(() => createRedisHotTier(redis, { timeoutMs: 0 })).toThrow(ValidationError);
  });

  it("forStorage keeps each storage's copies under its own keys, on the same connection", async () => {
    const one = hot.forStorage('db-1');
    const braces = hot.forStorage('{db}:%2');
    await one.promote('s', events('s', 1, 2), write);
    expect(await hot.peek('s')).toBeUndefined();
    expect(await braces.peek('s')).toBeUndefined();
    expect(await hot.forStorage('db-1').peek('s')).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(await redis.exists(`${prefix}db-1:{s}:d`, `${prefix}db-1:{s}:o`)).toBe(2);
    // Braces in an id are escaped: the stream id stays the hash tag.
    await braces.promote('s', events('s', 1, 1), write);
    expect(await redis.exists(`${prefix}%7Bdb%7D:%252:{s}:d`)).toBe(1);
    expect(() => hot.forStorage('')).toThrow(ValidationError);
    expect(() => hot.forStorage('x'.repeat(256))).toThrow(ValidationError);
    await one.close();
    expect(await hot.forStorage('db-1').peek('s')).toBeDefined();
  });

  describe('snapshot copies', () => {
    const value = (version: number) => ({
      version,
      stateVersion: 1,
      createdAt: 5,
      stateJson: `{"v":${version}}`,
    });

    it('a promotion is a compare-and-set: refused after any write or delete since its read, or a read too old', async () => {
      const seen = (await hot.readSnapshot('s', undefined)).seen;
      expect(await hot.promoteSnapshot('s', seen, value(3), 60)).toBe('stored');
      expect((await hot.readSnapshot('s', undefined)).copy).toEqual(value(3));
      // Not newer than the copy: kept.
      expect(await hot.promoteSnapshot('s', seen, value(2), 60)).toBe('kept');

      // invalidate deletes the snapshot copy with the events' and moves the generation on.
      const before = (await hot.readSnapshot('s', undefined)).seen;
      await hot.invalidate('s');
      expect((await hot.readSnapshot('s', undefined)).copy).toBeUndefined();
      expect(await hot.promoteSnapshot('s', before, value(3), 60)).toBe('refused');

      // A read older than the promotion window (server time) is refused whatever the generation.
      const [generation, serverTime] = (await hot.readSnapshot('s', undefined)).seen.split(':');
      const old = `${generation}:${Number(serverTime) - 30_001}`;
      expect(await hot.promoteSnapshot('s', old, value(3), 60)).toBe('refused');
      expect(await hot.promoteSnapshot('s', `${generation}:${serverTime}`, null, 60)).toBe('stored');
      expect((await hot.readSnapshot('s', undefined)).copy).toBeNull();
    });

    it('keeps the snapshot keys with the stream’s hash tag, alive at least the generation lifetime', async () => {
      const seen = (await hot.readSnapshot('s{x}', undefined)).seen;
      await hot.promoteSnapshot('s{x}', seen, value(1), 5);
      const ttl = await redis.ttl(`${prefix}{s%7Bx%7D}:s`);
      expect(ttl).toBeGreaterThan(55);
      await hot.beginSnapshotWrite('s{x}', 'w', 1_000, 5);
      expect(await redis.exists(`${prefix}{s%7Bx%7D}:w`)).toBe(1);
      expect(await hot.endSnapshotWrite('s{x}', 'w', { kind: 'save', snapshot: value(2) }, 5)).toBe('stored');
      expect(await redis.hexists(`${prefix}{s%7Bx%7D}:w`, 'w')).toBe(0);
    });
  });
});
