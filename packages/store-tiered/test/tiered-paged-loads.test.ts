import { iterateStream, type RecordedEvent } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();

/** What `AggregateRepository.load` does: pages of `batchSize` through `iterateStream`. */
async function load(
  store: Parameters<typeof iterateStream>[0],
  streamId: string,
  fromVersion = 1,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of iterateStream(store, streamId, { fromVersion, batchSize: 1000 }))
    events.push(event);
  return events;
}

describe('paged loads (iterateStream, as AggregateRepository.load reads)', () => {
  for (const consistency of ['strict', 'bounded'] as const) {
    it(`a stream of exactly two pages is promoted by its first load and served hot by the next (${consistency})`, async () => {
      const { store, sqlite, warmCalls } = await fixture.open({ consistency });
      // Appended by another process: this store learns nothing from the append.
      await sqlite.append('s', newEvents(2000));
      const first = await load(store, 's');
      await store.flush();
      expect(first).toEqual(await sqlite.readStream('s'));
      expect(store.stats().promotions).toBe(1);

      resetCounts(warmCalls);
      const second = await load(store, 's');
      expect(second).toEqual(first);
      // No event row read from warm: at most the strict version check of the last, empty page.
      expect(warmCalls.readStream ?? 0).toBe(0);
      expect(store.stats().hits).toBe(3);
    });
  }

  it('a stream longer than maxCopyEvents keeps its newest events, proven by the last page', async () => {
    const { store, sqlite, warmCalls } = await fixture.open({ maxCopyEvents: 1500 });
    await sqlite.append('s', newEvents(3000));
    await load(store, 's');
    await store.flush();
    resetCounts(warmCalls);
    // A load after a snapshot at 1,500 is served from the tail copy.
    expect(await load(store, 's', 1501)).toEqual(await sqlite.readStream('s', { fromVersion: 1501 }));
    expect(warmCalls.readStream ?? 0).toBe(0);
  });

  it('a page that another append made stale is never promoted as the end', async () => {
    const { store, sqlite } = await fixture.open();
    await sqlite.append('s', newEvents(2000));
    const pages = iterateStream(store, 's', { batchSize: 1000 });
    let read = 0;
    for await (const _ of pages) {
      // Between the first and second page another process appends: the second page is full, the
      // third holds the new event, and the copy must end there.
      if (++read === 1000) await sqlite.append('s', newEvents(1));
    }
    await store.flush();
    expect(read).toBe(2001);
    expect(await load(store, 's')).toEqual(await sqlite.readStream('s'));
  });

  for (const back of [0, 5]) {
    it(`a load after a snapshot at the head${back === 0 ? '' : ` - ${back}`} is served hot the second time`, async () => {
      const { store, sqlite, warmCalls } = await fixture.open();
      await sqlite.append('s', newEvents(2000));
      const from = 2000 - back + 1;
      const first = await load(store, 's', from);
      await store.flush();
      expect(first).toEqual(await sqlite.readStream('s', { fromVersion: from }));
      resetCounts(warmCalls);
      expect(await load(store, 's', from)).toEqual(first);
      expect(warmCalls.readStream ?? 0).toBe(0);
      expect(store.stats().hits).toBe(1);
    });
  }

  it('every stream length, page size and start: the second paged load equals warm and reads no event row from it', async () => {
    const { store, sqlite, warmCalls } = await fixture.open();
    for (const length of [1, 9, 10, 11, 20, 30]) {
      for (const batchSize of [1, 3, 10]) {
        for (const from of [1, 2, Math.ceil(length / 2), length, length + 1]) {
          const streamId = `s-${length}-${batchSize}-${from}`;
          await sqlite.append(streamId, newEvents(length));
          const paged = async () => {
            const events: RecordedEvent[] = [];
            for await (const e of iterateStream(store, streamId, { fromVersion: from, batchSize }))
              events.push(e);
            return events;
          };
          const expected = await sqlite.readStream(streamId, { fromVersion: from });
          expect(await paged()).toEqual(expected);
          await store.flush();
          resetCounts(warmCalls);
          expect(await paged(), streamId).toEqual(expected);
          expect(warmCalls.readStream ?? 0, streamId).toBe(0);
        }
      }
    }
  });

  for (const consistency of ['strict', 'bounded'] as const) {
    it(`a tail copy does not stop a whole load from being promoted: its missed pages join the copy (${consistency})`, async () => {
      const { store, sqlite, warmCalls } = await fixture.open({ consistency });
      await sqlite.append('s', newEvents(2000));
      // A load from a snapshot at the head leaves a copy of the last event only.
      await load(store, 's', 2001);
      await store.flush();
      await load(store, 's');
      await store.flush();
      resetCounts(warmCalls);
      expect(await load(store, 's')).toEqual(await sqlite.readStream('s'));
      expect(warmCalls.readStream ?? 0).toBe(0);
    });
  }

  it('an empty read past the end of a missing stream promotes nothing', async () => {
    const { store } = await fixture.open();
    expect(await load(store, 'nothing', 11)).toEqual([]);
    await store.flush();
    expect(store.stats().promotions).toBe(0);
  });
});
