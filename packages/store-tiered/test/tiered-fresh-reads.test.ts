import type { RecordedEvent } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { newEvents, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();

/** What a caller (or `withEncryption`, opening fields in place) may do to what it was handed. */
function changeAll(events: readonly RecordedEvent[]): void {
  for (const event of events) {
    (event.data as { text: string }).text = 'changed by the caller';
    (event.metadata as { n: number }).n = -1;
    event.occurredAt.setTime(0);
  }
}

// Core's contract: what a read or an append returns belongs to the caller. The hot tier is written
// in the background, after the caller has its answer, so it must not be written from those objects.
describe('the hot copy is never written from objects a caller was handed', () => {
  it('a miss that promotes: changing its answer changes nothing the copy serves', async () => {
    const { store, sqlite } = await fixture.open();
    await store.append('s', newEvents(5));
    await store.flush();
    changeAll(await store.readStream('s'));
    await store.flush();
    expect(store.stats().promotions).toBe(1);
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
    expect(store.stats().hits).toBe(1);
  });

  it('pages a paging reader read before the last: changing them changes nothing the copy serves', async () => {
    const { store, sqlite } = await fixture.open();
    await store.append('s', newEvents(6));
    await store.flush();
    changeAll(await store.readStream('s', { limit: 3 }));
    changeAll(await store.readStream('s', { fromVersion: 4, limit: 3 }));
    changeAll(await store.readStream('s', { fromVersion: 7, limit: 3 }));
    await store.flush();
    expect(store.stats().promotions).toBe(1);
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });

  it('readStreams that promotes: changing its answer changes nothing the copy serves', async () => {
    const { store, sqlite } = await fixture.open();
    await store.append('s', newEvents(3));
    await store.flush();
    changeAll((await store.readStreams(['s'])).get('s') ?? []);
    await store.flush();
    expect(store.stats().promotions).toBe(1);
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });

  it('an append extending a copy: changing its result.events changes nothing the copy serves', async () => {
    const { store, sqlite } = await fixture.open();
    await store.append('s', newEvents(2));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    changeAll((await store.append('s', newEvents(2), { expectedVersion: 2 })).events ?? []);
    await store.flush();
    expect(store.stats().writeThroughs).toBe(1);
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });

  it('a copy topped up from the warm store: changing the answer changes nothing the copy serves', async () => {
    const { store, sqlite } = await fixture.open();
    await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    await sqlite.append('s', newEvents(2));
    changeAll(await store.readStream('s'));
    await store.flush();
    expect(await store.readStream('s')).toEqual(await sqlite.readStream('s'));
  });
});
