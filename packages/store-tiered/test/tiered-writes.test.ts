import { ConcurrencyError, DuplicateEventError, type EventStore, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { until } from './support/poll.js';
import { newEvents, resetCounts, startCopyNotices, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();
const WHOLE = {
  fromVersion: 1,
  toVersion: Number.MAX_SAFE_INTEGER,
  limit: undefined,
  direction: 'forward',
} as const;

describe('tiered appends', () => {
  it("go to the warm store; a stream's first append makes no hot-tier call at all", async () => {
    const { store, sqlite, hot, hotCalls, warmCalls } = await fixture.open();
    const result = await store.append('s', newEvents(3), { streamType: 'order' });
    await store.flush();
    expect(result).toMatchObject({ firstVersion: 1, lastVersion: 3 });
    expect(await sqlite.streamVersion('s')).toBe(3);
    // No copy of a stream can exist before its first commit, nor one short of it after: no look.
    expect(hotCalls).toEqual({});
    expect(await hot.peek('s')).toBeUndefined();
    expect(warmCalls).toEqual({ append: 1 });
    expect(store.stats()).toMatchObject({ writeThroughs: 0, invalidations: 0 });
  });

  it('a later append to a stream this store knows has no copy costs nothing at the hot tier', async () => {
    const tiered = await fixture.open();
    const { store, hot, hotCalls, warmCalls } = tiered;
    await startCopyNotices(tiered);
    await store.append('s', newEvents(1));
    await store.append('s', newEvents(2), { expectedVersion: 1 });
    await store.append('s', newEvents(1), { expectedVersion: 3 });
    await store.flush();
    // No copy before the first commit, and no notice of one since: not even a look (issue 12).
    expect(hotCalls).toEqual({});
    expect(await hot.peek('s')).toBeUndefined();
    expect(warmCalls).toEqual({ append: 4 });
    expect(store.stats()).toMatchObject({ writeThroughs: 0, invalidations: 0, looks: 0, looksSkipped: 4 });
  });

  it('an append to a stream it knows nothing of costs one look, after the commit; the next ones none', async () => {
    const writer = await fixture.open();
    const other = await fixture.open({ path: writer.path, prefix: writer.prefix });
    // Another process created the stream: this store cannot know whether it has a copy.
    await other.store.append('s', newEvents(1));
    await startCopyNotices(writer);
    resetCounts(writer.hotCalls);
    await writer.store.append('s', newEvents(2), { expectedVersion: 1 });
    await writer.store.flush();
    // One look at the copy's bounds found none: the events were not sent.
    expect(writer.hotCalls).toEqual({ peek: 1 });
    await writer.store.append('s', newEvents(1), { expectedVersion: 3 });
    await writer.store.flush();
    expect(writer.hotCalls).toEqual({ peek: 1 });
    expect(await writer.hot.peek('s')).toBeUndefined();
    expect(writer.store.stats()).toMatchObject({
      writeThroughs: 0,
      invalidations: 0,
      looks: 1,
      looksSkipped: 2,
    });
  });

  it("another process's promotion reaches this store as a notice: its next append extends that copy", async () => {
    const writer = await fixture.open();
    const reader = await fixture.open({ path: writer.path, prefix: writer.prefix });
    await startCopyNotices(writer);
    await writer.store.append('s', newEvents(2));
    expect(await reader.store.readStream('s')).toHaveLength(2);
    await reader.store.flush();
    await until('the promotion is announced', () => writer.notices.includes('copied s'));
    resetCounts(writer.hotCalls);
    await writer.store.append('s', newEvents(1), { expectedVersion: 2 });
    await writer.store.flush();
    expect(writer.hotCalls).toEqual({ peek: 1, extend: 1 });
    expect(await reader.hot.peek('s')).toMatchObject({ fromVersion: 1, toVersion: 3 });
    expect(await reader.store.readStream('s')).toEqual(await writer.sqlite.readStream('s'));
    expect(reader.store.stats().hits).toBe(1);
  });

  it('after its own promotion, its next append to the stream looks and extends the copy', async () => {
    const tiered = await fixture.open();
    const { store, hot, hotCalls } = tiered;
    await startCopyNotices(tiered);
    await store.append('s', newEvents(2));
    await store.readStream('s');
    await store.flush();
    resetCounts(hotCalls);
    await store.append('s', newEvents(1), { expectedVersion: 2 });
    await store.flush();
    expect(hotCalls).toEqual({ peek: 1, extend: 1 });
    expect(await hot.peek('s')).toMatchObject({ fromVersion: 1, toVersion: 3 });
  });

  it('the looks of concurrent appends go to the hot tier together, in one round trip', async () => {
    const { store, sqlite, hot, hotCalls } = await fixture.open();
    const ids = Array.from({ length: 8 }, (_, i) => `s${i}`);
    for (const id of ids) await store.append(id, newEvents(1));
    await store.readStream('s3');
    await store.flush();
    resetCounts(hotCalls);
    await Promise.all(ids.map((id) => store.append(id, newEvents(1), { expectedVersion: 1 })));
    await store.flush();
    // Eight commits came back in one turn: one look at all eight copies; the one copy was extended.
    expect(hotCalls).toEqual({ peekMany: 1, extend: 1 });
    expect(store.stats().writeThroughs).toBe(1);
    expect(await hot.peek('s3')).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(await store.readStream('s3')).toEqual(await sqlite.readStream('s3'));
  });

  it("a promotion racing a stream's first append never leaves a copy short of it", async () => {
    // Another process's reader promotes whatever warm answered, before or after the commit; the
    // append sends nothing. A read before the commit finds no events and promotes nothing; one
    // after it promotes a copy reaching the append's end. Either way every later read is exact.
    const writer = await fixture.open();
    const reader = await fixture.open({ path: writer.path, prefix: writer.prefix });
    for (let i = 0; i < 20; i++) {
      const streamId = `race-${i}`;
      await Promise.all([writer.store.append(streamId, newEvents(3)), reader.store.readStream(streamId)]);
      await Promise.all([writer.store.flush(), reader.store.flush()]);
      const copy = await reader.hot.peek(streamId);
      if (copy !== undefined) expect(copy.toVersion).toBe(3);
      const warm = await writer.sqlite.readStream(streamId);
      expect(await reader.store.readStream(streamId)).toEqual(warm);
      expect(await writer.store.readStream(streamId)).toEqual(warm);
    }
    expect(writer.hotCalls.peek ?? 0).toBe(0);
  });

  it('write the new events through to a copy that ends where the append began, exactly as recorded', async () => {
    const { store, sqlite, hot, hotCalls, warmCalls } = await fixture.open();
    await store.append('s', newEvents(2));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    resetCounts(warmCalls);
    resetCounts(hotCalls);
    await store.append('s', newEvents(3), { expectedVersion: 2 });
    await store.flush();
    // The append's result carries the events as recorded: nothing is read back.
    expect(warmCalls).toEqual({ append: 1 });
    // A look found the copy ending where the append began; one script extended it.
    expect(hotCalls).toEqual({ peek: 1, extend: 1 });
    expect(store.stats().writeThroughs).toBe(1);
    const copy = await hot.read('s', { ...WHOLE, toVersion: 99 }, undefined);
    expect(copy.kind === 'covered' && copy.events).toEqual(await sqlite.readStream('s'));
  });

  it('read the new events back from a warm store whose appends do not return them', async () => {
    // A spread copy of the result loses `events`, as an adapter that does not provide them would.
    const { store, sqlite, hot, warmCalls } = await fixture.open({
      wrapWarm: (warm) =>
        Object.assign(Object.create(warm) as EventStore, {
          append: async (...args: Parameters<EventStore['append']>) => ({ ...(await warm.append(...args)) }),
        }),
    });
    await store.append('s', newEvents(2));
    await store.readStream('s');
    await store.flush();
    resetCounts(warmCalls);
    await store.append('s', newEvents(3), { expectedVersion: 2 });
    await store.flush();
    // One indexed range read of the new events, so the copy holds what warm readers get.
    expect(warmCalls).toEqual({ append: 1, readStream: 1 });
    expect(store.stats().writeThroughs).toBe(1);
    const copy = await hot.read('s', { ...WHOLE, toVersion: 99 }, undefined);
    expect(copy.kind === 'covered' && copy.events).toEqual(await sqlite.readStream('s'));
  });

  it('back-to-back appends by one store keep extending the copy, each update in order', async () => {
    const { store, sqlite, hot } = await fixture.open();
    await store.append('s', newEvents(2));
    await store.readStream('s');
    await store.flush();
    for (let i = 0; i < 5; i++) await store.append('s', newEvents(2));
    await store.flush();
    expect(store.stats()).toMatchObject({ writeThroughs: 5, invalidations: 0 });
    expect(await hot.peek('s')).toMatchObject({ fromVersion: 1, toVersion: 12 });
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });

  it('drop a copy that does not end where the append began', async () => {
    const { store, sqlite, hot } = await fixture.open();
    await store.append('s', newEvents(2));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    await sqlite.append('s', newEvents(1)); // the hot tier never hears of version 3
    const reasons: string[] = [];
    store.on('invalidation', ({ reason }) => reasons.push(reason));
    await store.append('s', newEvents(1));
    await store.flush();
    expect(reasons).toEqual(['append']);
    expect(await hot.peek('s')).toBeUndefined();
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });

  it('a ConcurrencyError from the warm store drops the copy, so the retrying caller reloads fresh state', async () => {
    const { store, sqlite, hot } = await fixture.open();
    await store.append('s', newEvents(2));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    await expect(store.append('s', newEvents(1), { expectedVersion: 1 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    expect(await hot.peek('s')).toBeUndefined();
    expect(store.stats()).toMatchObject({ invalidations: 1, writeThroughFailures: 0 });
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });

  it('an idempotent retry returns the original result and keeps the copy; a refused batch leaves it alone', async () => {
    const { store, hot } = await fixture.open();
    const batch = newEvents(2).map((e, i) => ({ ...e, id: `retry-${i}` }));
    const original = await store.append('s', batch);
    await store.flush();
    await store.readStream('s');
    await store.flush();
    expect(await store.append('s', batch, { expectedVersion: 'no_stream' })).toEqual(original);
    expect(await hot.peek('s')).toMatchObject({ toVersion: 2 });
    await expect(store.append('other', batch)).rejects.toSatisfy(DuplicateEventError.isInstance);
    await expect(store.append('s', [{ type: '', data: 1 }])).rejects.toSatisfy(ValidationError.isInstance);
    expect(await hot.peek('s')).toMatchObject({ toVersion: 2 });
    expect(store.stats().invalidations).toBe(0);
  });

  it('concurrent appends through two stores keep the copy complete and contiguous', async () => {
    const a = await fixture.open();
    const b = await fixture.open({ path: a.path, prefix: a.prefix });
    await a.store.append('s', newEvents(1));
    await a.store.flush();
    await a.store.readStream('s');
    await a.store.flush();
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        a.store.append('s', newEvents(2)),
        b.store.append('s', newEvents(1)),
        a.store.readStream('s'),
        b.store.readStream('s'),
      ]);
      const warm = await a.sqlite.readStream('s');
      expect(await a.store.readStream('s')).toEqual(warm);
      expect(await b.store.readStream('s')).toEqual(warm);
      const copy = await a.hot.peek('s');
      if (copy !== undefined) {
        const read = await a.hot.read(
          's',
          {
            fromVersion: copy.fromVersion,
            toVersion: copy.toVersion,
            limit: undefined,
            direction: 'forward',
          },
          undefined,
        );
        expect(read.kind === 'covered' && read.events).toEqual(
          warm.slice(copy.fromVersion - 1, copy.toVersion),
        );
      }
    }
  });
});
