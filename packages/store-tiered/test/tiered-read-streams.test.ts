import { describe, expect, it } from 'vitest';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();

describe('tiered readStreams, readAll and streamVersion', () => {
  it('readStreams serves current copies from the hot tier and the rest in one warm readStreams call', async () => {
    const { store, sqlite, warmCalls } = await fixture.open();
    for (const id of ['a', 'b', 'c']) await store.append(id, newEvents(3));
    await store.readStream('a');
    await store.flush();
    await store.readStream('b');
    await store.flush();
    await sqlite.append('b', newEvents(1)); // b's copy is now behind
    resetCounts(warmCalls);
    const result = await store.readStreams(['a', 'b', 'c', 'missing', 'a']);
    await store.flush();
    expect([...result.keys()]).toEqual(['a', 'b', 'c', 'missing']);
    expect(result).toEqual(await sqlite.readStreams(['a', 'b', 'c', 'missing']));
    // Two version checks (a, b), one warm batch for b (stale), c (absent) and missing.
    expect(warmCalls).toEqual({ streamVersion: 2, readStreams: 1 });
    expect(store.stats()).toMatchObject({ hits: 1, missesByReason: { stale: 1 } });
    // b and c were promoted: now all three are hits.
    resetCounts(warmCalls);
    const again = await store.readStreams(['a', 'b', 'c'], { fromVersion: 2 });
    await store.flush();
    expect(again).toEqual(await sqlite.readStreams(['a', 'b', 'c'], { fromVersion: 2 }));
    expect(warmCalls).toEqual({ streamVersion: 3 });
  });

  it("readStreams in 'bounded' mode makes no warm call for copies within the bound", async () => {
    const { store, sqlite, warmCalls } = await fixture.open({
      consistency: 'bounded',
      maxStalenessMs: 60_000,
    });
    for (const id of ['a', 'b']) await store.append(id, newEvents(2));
    await store.readStreams(['a', 'b']);
    await store.flush();
    resetCounts(warmCalls);
    expect(await store.readStreams(['a', 'b'])).toEqual(await sqlite.readStreams(['a', 'b']));
    expect(warmCalls).toEqual({});
  });

  it('readAll and streamVersion always come from the warm store', async () => {
    const { store, sqlite, hotCalls, warmCalls } = await fixture.open();
    await store.append('s', newEvents(2));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    resetCounts(hotCalls, warmCalls);
    expect(await store.readAll({ limit: 10 })).toEqual(await sqlite.readAll({ limit: 10 }));
    expect(await store.streamVersion('s')).toBe(2);
    expect(hotCalls).toEqual({});
    expect(warmCalls).toEqual({ readAll: 1, streamVersion: 1 });
  });
});
