import { describe, expect, it } from 'vitest';
import { sleep } from './support/poll.js';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();
const versions = (events: { version: number }[]) => events.map((e) => e.version);

describe("tiered reads ('bounded')", () => {
  it('within the bound a hit makes no warm call at all', async () => {
    const { store, warmCalls } = await fixture.open({ consistency: 'bounded', maxStalenessMs: 60_000 });
    await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    resetCounts(warmCalls);
    for (let i = 0; i < 3; i++) expect(versions(await store.readStream('s'))).toEqual([1, 2, 3]);
    expect(warmCalls).toEqual({});
    expect(store.stats().hits).toBe(3);
  });

  it('past the bound the copy is checked against the warm version, and verifiedAt moves up', async () => {
    const { store, warmCalls, hotCalls, hot } = await fixture.open({
      consistency: 'bounded',
      maxStalenessMs: 40,
    });
    await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    const verifiedAt = (await hot.peek('s'))!.verifiedAt;
    await sleep(50);
    resetCounts(warmCalls, hotCalls);
    const readStarted = Date.now();
    expect(versions(await store.readStream('s'))).toEqual([1, 2, 3]);
    const readEnded = Date.now();
    await store.flush();
    expect(warmCalls).toEqual({ streamVersion: 1 });
    expect(hotCalls).toEqual({ read: 1, confirm: 1 });
    const confirmed = (await hot.peek('s'))!.verifiedAt;
    expect(confirmed).toBeGreaterThan(verifiedAt);
    expect(confirmed).toBeGreaterThanOrEqual(readStarted);
    expect(confirmed).toBeLessThanOrEqual(readEnded);
    // Verified again: hits without warm calls for another bound.
    resetCounts(warmCalls);
    await store.readStream('s');
    await store.flush();
    expect(warmCalls).toEqual({});
  });

  it('an append by another process is seen once the bound has passed', async () => {
    const { store, sqlite } = await fixture.open({ consistency: 'bounded', maxStalenessMs: 40 });
    await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    await sqlite.append('s', newEvents(1)); // another process, past the hot tier
    const appendedAt = Date.now();
    await sleep(45);
    expect(Date.now() - appendedAt).toBeGreaterThanOrEqual(40);
    expect(versions(await store.readStream('s'))).toEqual([1, 2, 3, 4]);
  });

  it("never misses the store's own appends, even over a copy a racing reader promoted late", async () => {
    const { store, sqlite, hot } = await fixture.open({ consistency: 'bounded', maxStalenessMs: 60_000 });
    await store.append('s', newEvents(3));
    await store.flush();
    const before = await sqlite.readStream('s');
    await store.append('s', newEvents(1)); // no copy yet: nothing to write through
    await store.flush();
    // A reader that read versions 1..3 before that append promotes them only now, as just verified.
    await hot.promote('s', before, { verifiedAt: Date.now(), ttlSeconds: 60, maxEvents: 100 });
    expect(versions(await store.readStream('s'))).toEqual([1, 2, 3, 4]);
  });

  it('a bound of 0 checks every read the copy cannot settle alone', async () => {
    const { store, warmCalls } = await fixture.open({ consistency: 'bounded', maxStalenessMs: 0 });
    await store.append('s', newEvents(3));
    await store.flush();
    await store.readStream('s');
    await store.flush();
    resetCounts(warmCalls);
    await store.readStream('s');
    await store.flush();
    await store.readStream('s', { toVersion: 2 });
    await store.flush();
    expect(warmCalls).toEqual({ streamVersion: 1 });
  });
});
