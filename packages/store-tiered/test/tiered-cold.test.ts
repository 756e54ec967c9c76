import type { ReadStreamOptions } from '@strata/core';
import { StoreUnavailableError } from '@strata/core';
import { createSqliteEventStore } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createMemoryColdTier, createTieredEventStore, type MemoryColdTier } from '../src/index.js';
import { tempSqliteFiles } from './support/temp-sqlite.js';
import { newEvents, tieredFixture } from './support/tiered-fixture.js';

const files = tempSqliteFiles();
const fixture = tieredFixture();
const versions = (events: { version: number }[]) => events.map((e) => e.version);

/**
 * Archives versions 1..upTo of a stream the way an archiver that keeps whole prefixes would: copy
 * them to the cold tier, then delete them from the warm store (its stream head, and so its
 * version, stays). Returns the whole history as it was.
 */
async function archive(path: string, cold: MemoryColdTier, streamId: string, upTo: number) {
  const reader = createSqliteEventStore({ database: path });
  const history = await reader.readStream(streamId);
  await reader.close();
  cold.archive(history.slice(0, upTo));
  const db = new BetterSqlite3(path);
  db.prepare('DELETE FROM strata_events WHERE stream_id = ? AND version <= ?').run(streamId, upTo);
  db.close();
  return history;
}

const ranges: ReadStreamOptions[] = [
  {},
  { fromVersion: 2 },
  { fromVersion: 3, toVersion: 7 },
  { toVersion: 3 },
  { limit: 3 },
  { fromVersion: 4, limit: 4 },
  { direction: 'backward' },
  { direction: 'backward', limit: 4 },
  { direction: 'backward', limit: 8 },
  { direction: 'backward', toVersion: 4, limit: 2 },
  { fromVersion: 6 },
  { fromVersion: 11 },
];

/** The answer the whole history gives, as a store that never archived would. */
function expected(history: { version: number }[], options: ReadStreamOptions) {
  const from = Math.max(options.fromVersion ?? 1, 1);
  const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
  let selected = history.filter((e) => e.version >= from && e.version <= to);
  if (options.direction === 'backward') selected = selected.reverse();
  return options.limit === undefined ? selected : selected.slice(0, options.limit);
}

describe('the cold tier', () => {
  it('without a hot tier: reads that begin before what warm holds read the archived head through', async () => {
    const path = files.path();
    const warm = createSqliteEventStore({ database: path });
    const cold = createMemoryColdTier();
    const store = createTieredEventStore({ warm, cold });
    await store.append('s', newEvents(10));
    await store.flush();
    await store.append('whole', newEvents(3));
    await store.flush();
    const history = await archive(path, cold, 's', 5);
    const whole = await archive(path, cold, 'whole', 3);
    expect(versions(await warm.readStream('s'))).toEqual([6, 7, 8, 9, 10]);
    for (const options of ranges) {
      expect(await store.readStream('s', options), JSON.stringify(options)).toEqual(
        expected(history, options),
      );
    }
    expect(await store.readStream('whole')).toEqual(whole);
    expect(await store.readStream('missing')).toEqual([]);
    const many = await store.readStreams(['s', 'whole', 'missing'], { fromVersion: 2 });
    await store.flush();
    expect(many.get('s')).toEqual(history.slice(1));
    expect(many.get('whole')).toEqual(whole.slice(1));
    expect(many.get('missing')).toEqual([]);
    expect(await store.streamVersion('s')).toBe(10);
    expect(store.stats().coldReads).toBeGreaterThan(0);
    // Appends go on from the stream's version.
    expect(await store.append('s', newEvents(1), { expectedVersion: 10 })).toMatchObject({
      firstVersion: 11,
    });
    await store.close();
    await warm.close();
  });

  it('with a hot tier: a stitched read is promoted whole and later served from the hot tier', async () => {
    const cold = createMemoryColdTier();
    const t = await fixture.open({ cold });
    await t.store.append('s', newEvents(10));
    await t.store.flush();
    const history = await archive(t.path, cold, 's', 4);
    expect(await t.store.readStream('s')).toEqual(history);
    await t.store.flush();
    const coldReads = t.store.stats().coldReads;
    expect(coldReads).toBe(1);
    for (const options of ranges) {
      expect(await t.store.readStream('s', options), JSON.stringify(options)).toEqual(
        expected(history, options),
      );
    }
    expect(t.store.stats().coldReads).toBe(coldReads);
    expect(t.store.stats().hits).toBe(ranges.length);
  });

  it('a cold tier that lacks archived events fails the read instead of returning part of the stream', async () => {
    const path = files.path();
    const warm = createSqliteEventStore({ database: path });
    const cold = createMemoryColdTier();
    const store = createTieredEventStore({ warm, cold });
    await store.append('s', newEvents(6));
    await store.flush();
    const history = await archive(path, cold, 's', 3);
    // Version 2 goes missing from the archive.
    const broken = createMemoryColdTier();
    broken.archive([history[0]!, history[2]!]);
    const partial = createTieredEventStore({ warm, cold: broken });
    await expect(partial.readStream('s')).rejects.toSatisfy(StoreUnavailableError.isInstance);
    await expect(partial.readStream('s')).rejects.toThrow(/cold tier returned/);
    expect(await partial.readStream('s', { fromVersion: 4 })).toEqual(history.slice(3));
    await warm.close();
  });
});
