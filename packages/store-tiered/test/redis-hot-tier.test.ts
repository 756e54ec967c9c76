import type { RecordedEvent } from '@strata/core';
import { ValidationError } from '@strata/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisHotTier, type HotReadRange, type RedisHotTier } from '../src/index.js';
import { sleep } from './support/poll.js';
import { deleteKeys, randomKeyPrefix, redisClient } from './support/redis-env.js';

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

  it('a copy whose head (or any key) expired is deleted, never served', async () => {
    await hot.promote('head', events('head', 1, 5), write);
    await redis.lpop(`${prefix}{head}:e`);
    expect(await hot.read('head', { ...all, fromVersion: 2 }, undefined)).toEqual({ kind: 'dropped' });
    expect(await redis.exists(`${prefix}{head}:m`, `${prefix}{head}:e`)).toBe(0);

    await hot.promote('events', events('events', 1, 5), write);
    await redis.pexpire(`${prefix}{events}:e`, 1);
    await hot.promote('meta', events('meta', 1, 5), write);
    await redis.pexpire(`${prefix}{meta}:m`, 1);
    await sleep(10);
    expect(await hot.read('events', all, undefined)).toEqual({ kind: 'dropped' });
    expect(await hot.read('meta', all, undefined)).toEqual({ kind: 'dropped' });
    expect(await hot.read('meta', all, undefined)).toEqual({ kind: 'absent' });
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

  it('an extension beyond maxEvents drops the oldest events and moves the copy start', async () => {
    await hot.promote('s', events('s', 1, 4), write);
    await hot.extend('s', 4, 7, events('s', 5, 7), { ...write, maxEvents: 5 });
    expect(await hot.read('s', { ...all, fromVersion: 3 }, undefined)).toMatchObject({
      copy: { fromVersion: 3, toVersion: 7 },
      events: events('s', 3, 7),
    });
    expect(await redis.llen(`${prefix}{s}:e`)).toBe(5);
  });

  it('sets the TTL on both keys when written, and refreshes it on read only when asked', async () => {
    await hot.promote('s', events('s', 1, 2), { ...write, ttlSeconds: 100 });
    for (const key of ['m', 'e']) expect(await redis.ttl(`${prefix}{s}:${key}`)).toBeGreaterThan(90);
    await redis.expire(`${prefix}{s}:m`, 50);
    await redis.expire(`${prefix}{s}:e`, 50);
    await hot.read('s', all, undefined);
    expect(await redis.ttl(`${prefix}{s}:m`)).toBeLessThanOrEqual(50);
    await hot.read('s', all, 100);
    for (const key of ['m', 'e']) expect(await redis.ttl(`${prefix}{s}:${key}`)).toBeGreaterThan(90);
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
        `${prefix}{a%7Bb%7D}:e`,
        `${prefix}{a%7Bb%7D}:m`,
        `${prefix}{a%257Bb%257D}:e`,
        `${prefix}{a%257Bb%257D}:m`,
      ].sort(),
    );
    expect(await hot.read('a{b}', all, undefined)).toMatchObject({ events: events('a{b}', 1, 1) });
    expect(await hot.read('a%7Bb%7D', all, undefined)).toMatchObject({ events: events('a%7Bb%7D', 1, 2) });
  });

  it('promotes and reads a 10,000-event copy (scripts chunk their arguments)', async () => {
    const many = events('big', 1, 10_000);
    await hot.promote('big', many, { ...write, maxEvents: 20_000 });
    const read = await hot.read('big', all, undefined);
    expect(read.kind === 'covered' && read.events).toEqual(many);
  });

  it('rejects a key prefix with braces', () => {
    expect(() => createRedisHotTier(redis, { keyPrefix: 'a{b' })).toThrow(ValidationError);
    expect(() => createRedisHotTier(redis, { timeoutMs: 0 })).toThrow(ValidationError);
  });
});
