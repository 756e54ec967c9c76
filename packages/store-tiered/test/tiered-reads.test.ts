import type { ReadStreamOptions } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { dropFirstEntry } from './support/redis-env.js';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();
const versions = (events: { version: number }[]) => events.map((e) => e.version);

describe('tiered reads (strict)', () => {
  it('a miss reads the warm store and promotes; a hit then costs one streamVersion and no warm read', async () => {
    const { store, sqlite, warmCalls, hotCalls } = await fixture.open();
    await store.append('s', newEvents(5));
    await store.flush();
    resetCounts(warmCalls);
    const first = await store.readStream('s');
    await store.flush();
    // A stream not seen in the hot tier before is read there first: the miss costs one warm read.
    expect(warmCalls).toEqual({ readStream: 1 });
    expect(first).toEqual(await sqlite.readStream('s'));
    expect(store.stats()).toMatchObject({ hits: 0, misses: 1, promotions: 1, missesByReason: { absent: 1 } });

    resetCounts(warmCalls, hotCalls);
    expect(await store.readStream('s')).toEqual(first);
    expect(warmCalls).toEqual({ streamVersion: 1 });
    expect(hotCalls).toEqual({ read: 1 });
    expect(store.stats().hits).toBe(1);
    // Known to have a copy now, the check runs alongside the hot read: the same single lookup.
    resetCounts(warmCalls);
    expect(await store.readStream('s')).toEqual(first);
    expect(warmCalls).toEqual({ streamVersion: 1 });
  });

  it('an append to a stream whose copy ends where the append began extends the copy', async () => {
    const { store, sqlite, warmCalls } = await fixture.open();
    await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    await store.append('s', newEvents(2), { expectedVersion: 3 });
    await store.flush();
    expect(store.stats().writeThroughs).toBe(1);
    resetCounts(warmCalls);
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
    expect(warmCalls).toEqual({ streamVersion: 1 });
    expect(store.stats()).toMatchObject({ hits: 1, promotions: 1 });
  });

  it('a copy that missed an append is never served: the version check catches it and only the tail is read', async () => {
    const { store, sqlite, warmCalls } = await fixture.open();
    await store.append('s', newEvents(4));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    // Another process, writing to the warm store without the hot tier.
    await sqlite.append('s', newEvents(2));
    resetCounts(warmCalls);
    const read = await store.readStream('s');
    await store.flush();
    expect(read).toEqual(await sqlite.readStream('s'));
    expect(versions(read)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(warmCalls).toEqual({ streamVersion: 1, readStream: 1 });
    expect(store.stats().missesByReason.stale).toBe(1);
    // The copy was topped up, so the next read is a hit.
    resetCounts(warmCalls);
    expect(await store.readStream('s')).toEqual(read);
    expect(warmCalls).toEqual({ streamVersion: 1 });
  });

  it('every range, limit and direction answers exactly as the warm store does', async () => {
    const { store, sqlite } = await fixture.open();
    await store.append('s', newEvents(8));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    const cases: ReadStreamOptions[] = [
      {},
      { fromVersion: 3 },
      { fromVersion: 0 },
      { toVersion: 4 },
      { fromVersion: 2, toVersion: 5 },
      { toVersion: 100 },
      { limit: 3 },
      { fromVersion: 7, limit: 5 },
      { limit: 0 },
      { direction: 'backward' },
      { direction: 'backward', limit: 2 },
      { direction: 'backward', toVersion: 5, limit: 2 },
      { direction: 'backward', fromVersion: 6, limit: 10 },
      { fromVersion: 9 },
      { fromVersion: 20, toVersion: 30 },
    ];
    for (const options of cases) {
      expect(await store.readStream('s', options), JSON.stringify(options)).toEqual(
        await sqlite.readStream('s', options),
      );
    }
    // Then again after an append the hot tier did not see.
    await sqlite.append('s', newEvents(3));
    for (const options of cases) {
      expect(await store.readStream('s', options), `after: ${JSON.stringify(options)}`).toEqual(
        await sqlite.readStream('s', options),
      );
    }
  });

  it('a read the copy settles on its own (versions it holds never change) needs no warm call', async () => {
    const { store, sqlite, warmCalls } = await fixture.open();
    await store.append('s', newEvents(6));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    await sqlite.append('s', newEvents(2));
    resetCounts(warmCalls);
    expect(versions(await store.readStream('s', { toVersion: 4 }))).toEqual([1, 2, 3, 4]);
    expect(versions(await store.readStream('s', { fromVersion: 2, limit: 3 }))).toEqual([2, 3, 4]);
    expect(versions(await store.readStream('s', { toVersion: 6, direction: 'backward', limit: 2 }))).toEqual([
      6, 5,
    ]);
    expect(warmCalls).toEqual({});
    // A read reaching past the copy's end is checked: the stream has grown.
    expect(versions(await store.readStream('s', { fromVersion: 5, limit: 5 }))).toEqual([5, 6, 7, 8]);
    expect(warmCalls).toEqual({ streamVersion: 1, readStream: 1 });
  });

  it('a tail copy never answers a read that starts before it', async () => {
    const { store, sqlite, hot } = await fixture.open({ maxCopyEvents: 5 });
    await store.append('s', newEvents(12));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    expect(store.stats().promotions).toBe(1);
    expect(versions(await store.readStream('s', { fromVersion: 8 }))).toEqual([8, 9, 10, 11, 12]);
    expect(store.stats().hits).toBe(1);
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
    expect(store.stats().missesByReason.uncovered).toBe(1);
    // Appends keep the copy at most maxCopyEvents long (cut to its newest three quarters when it
    // grows past that), still contiguous.
    await store.append('s', newEvents(3));
    await store.flush();
    expect(await hot.peek('s')).toMatchObject({ fromVersion: 12, toVersion: 15 });
    expect(versions(await store.readStream('s', { fromVersion: 12 }))).toEqual([12, 13, 14, 15]);
    expect(store.stats().hits).toBe(2);
  });

  it('a copy whose head expired is never served as the whole stream', async () => {
    const { store, sqlite, redis, copyPrefix: prefix } = await fixture.open();
    await store.append('s', newEvents(5));
    await store.readStream('s');
    await store.flush();
    // The first event's entry is gone; the header still says 1..5.
    await dropFirstEntry(redis, `${prefix}{s}`);
    const reasons: string[] = [];
    store.on('invalidation', ({ reason }) => reasons.push(reason));
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
    expect(reasons).toEqual(['broken']);
    expect(store.stats().missesByReason.absent).toBe(2);
    // The offsets expiring while the data remains: the same for a read that needs them.
    await store.flush();
    await redis.del(`${prefix}{s}:o`);
    expect(await store.readStream('s', { fromVersion: 2 })).toEqual(
      await sqlite.readStream('s', { fromVersion: 2 }),
    );
    expect(reasons).toEqual(['broken', 'broken']);
  });

  it('a copy that reaches past the warm store (warm restored from a backup) is dropped', async () => {
    const { store, sqlite, hot, warmCalls } = await fixture.open();
    await store.append('s', newEvents(3));
    await store.flush();
    const events = await sqlite.readStream('s');
    const phantom = { ...events[2]!, id: 'phantom', version: 4 };
    await hot.promote('s', [...events, phantom], { verifiedAt: Date.now(), ttlSeconds: 60, maxEvents: 100 });
    const reasons: string[] = [];
    store.on('invalidation', ({ reason }) => reasons.push(reason));
    expect(await store.readStream('s')).toEqual(events);
    expect(reasons).toEqual(['ahead']);
    await store.flush();
    expect(await store.readStream('s')).toEqual(events);
    expect(store.stats().hits).toBe(1);
    // Now known to have a copy, the stream is checked alongside the hot read: a version behind the
    // copy is looked up once more after the hot read before the copy is taken for a phantom.
    await hot.promote('s', [...events, phantom], { verifiedAt: Date.now(), ttlSeconds: 60, maxEvents: 100 });
    resetCounts(warmCalls);
    expect(await store.readStream('s')).toEqual(events);
    expect(reasons).toEqual(['ahead', 'ahead']);
    expect(warmCalls).toEqual({ streamVersion: 2, readStream: 1 });
  });
});
