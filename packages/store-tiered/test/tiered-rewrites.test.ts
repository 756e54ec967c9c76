import {
  type EventRewrite,
  type EventStore,
  type RecordedEvent,
  StoreUnavailableError,
  supportsEventRewrite,
  supportsEventRewriteBatch,
} from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createTieredEventStore } from '../src/index.js';
import { newEvents, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();

/** Rewrites `event`'s data in place, keeping its type and bumping its schema version. */
function rewriteOf(event: RecordedEvent, data: unknown): EventRewrite {
  return {
    streamId: event.streamId,
    version: event.version,
    id: event.id,
    position: event.position,
    expectedType: event.type,
    expectedSchemaVersion: event.schemaVersion,
    type: event.type,
    schemaVersion: event.schemaVersion + 1,
    data,
    metadata: event.metadata,
  };
}

describe('tiered rewrites (EventRewriter)', () => {
  it('a rewritten event is never served from a copy made before the rewrite', async () => {
    const { store, sqlite, hot } = await fixture.open();
    await store.append('s', newEvents(3));
    const before = await store.readStream('s');
    await store.flush();
    expect(await hot.peek('s'), 'the stream has a copy').toBeDefined();
    expect(supportsEventRewrite(store)).toBe(true);

    await store.rewriteEvent!(rewriteOf(before[1]!, { rewritten: true }));
    const expected = await sqlite.readStream('s');
    expect(expected[1]).toMatchObject({ data: { rewritten: true }, schemaVersion: 2 });
    // Settled reads (a range the copy holds) are served without any check: only a deleted copy
    // keeps them from being stale.
    expect(await store.readStream('s', { toVersion: 2 })).toEqual(expected.slice(0, 2));
    expect(await store.readStream('s')).toEqual(expected);
    expect((await store.readStreams(['s'])).get('s')).toEqual(expected);
    expect(store.stats().invalidations).toBeGreaterThanOrEqual(1);
  });

  it('a promotion of what a reader read before the rewrite, landing after it, is refused', async () => {
    const { store, hot, sqlite } = await fixture.open();
    await store.append('s', newEvents(2));
    const old = await sqlite.readStream('s');
    await store.rewriteEvent!(rewriteOf(old[0]!, { rewritten: true }));
    // Another process read the warm store before the rewrite; its promotion arrives late.
    const late = await hot.promote('s', old, { verifiedAt: Date.now(), ttlSeconds: 600, maxEvents: 100 });
    expect(late).toBe('refused');
    expect(await hot.peek('s')).toBeUndefined();
    await store.readStream('s');
    await store.flush();
    expect(await hot.peek('s'), 'no copy while the stream is barred').toBeUndefined();
    expect(await store.readStream('s', { toVersion: 1 })).toEqual((await sqlite.readStream('s')).slice(0, 1));
  });

  it('refuses the rewrite, writing nothing, when the hot tier cannot bar the stream', async () => {
    const { store, sqlite, redis } = await fixture.open({
      breaker: { failureThreshold: 100, openMs: 60_000 },
    });
    await store.append('s', newEvents(2));
    const before = await sqlite.readStream('s');
    redis.disconnect();
    const error = await store.rewriteEvent!(rewriteOf(before[0]!, { rewritten: true })).catch((e) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect(await sqlite.readStream('s')).toEqual(before);
  });

  it('with only a warm store, passes rewrites to it; without the warm capability, offers none', async () => {
    const { sqlite } = await fixture.open();
    const plain = createTieredEventStore({ warm: sqlite });
    expect(supportsEventRewrite(plain)).toBe(true);
    const withoutRewrite: EventStore = {
      append: sqlite.append.bind(sqlite),
      readStream: sqlite.readStream.bind(sqlite),
      readStreams: sqlite.readStreams.bind(sqlite),
      readAll: sqlite.readAll.bind(sqlite),
      streamVersion: sqlite.streamVersion.bind(sqlite),
      close: async () => {},
    };
    expect(supportsEventRewrite(createTieredEventStore({ warm: withoutRewrite }))).toBe(false);
    expect(supportsEventRewriteBatch(plain)).toBe(true);
    const withoutBatch: EventStore = {
      ...withoutRewrite,
      rewriteEvent: sqlite.rewriteEvent.bind(sqlite),
    } as EventStore;
    const overOneAtATime = createTieredEventStore({ warm: withoutBatch });
    expect(supportsEventRewrite(overOneAtATime)).toBe(true);
    expect(supportsEventRewriteBatch(overOneAtATime), 'no batch form over a warm store without one').toBe(
      false,
    );
  });

  it('a batch over two streams: neither is served from a copy made before it', async () => {
    const { store, sqlite, hot } = await fixture.open();
    await store.append('a', newEvents(2));
    await store.append('b', newEvents(2));
    const a = await store.readStream('a');
    const b = await store.readStream('b');
    await store.flush();
    expect(await hot.peek('a'), 'stream a has a copy').toBeDefined();
    expect(await hot.peek('b'), 'stream b has a copy').toBeDefined();

    await store.rewriteEvents!([rewriteOf(a[1]!, { batch: 'a' }), rewriteOf(b[0]!, { batch: 'b' })]);
    expect(await hot.peek('a')).toBeUndefined();
    expect(await hot.peek('b')).toBeUndefined();
    expect(await store.readStream('a', { toVersion: 2 })).toEqual(await sqlite.readStream('a'));
    expect((await store.readStream('b'))[0]).toMatchObject({ data: { batch: 'b' }, schemaVersion: 2 });
  });

  it('refuses the batch, writing nothing, when the hot tier cannot bar its streams', async () => {
    const { store, sqlite, redis } = await fixture.open({
      breaker: { failureThreshold: 100, openMs: 60_000 },
    });
    await store.append('a', newEvents(2));
    const before = await sqlite.readStream('a');
    redis.disconnect();
    const error = await store.rewriteEvents!([
      rewriteOf(before[0]!, { x: 1 }),
      rewriteOf(before[1]!, { x: 2 }),
    ]).catch((e) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect(await sqlite.readStream('a')).toEqual(before);
  });
});
