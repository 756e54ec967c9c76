import { describe, expect, it } from 'vitest';
import { createRedisHotTier } from '../src/index.js';
import { newEvents, tieredFixture } from './support/tiered-fixture.js';

// Two deployments that share one Redis key prefix by mistake, each over its own warm database
// (two SQLite files): the same stream id, different events.
const fixture = tieredFixture();
const ids = (events: { id: string }[]) => events.map((e) => e.id);

async function twoDeployments(options: Parameters<typeof fixture.open>[0] = {}) {
  const a = await fixture.open(options);
  const b = await fixture.open({ ...options, prefix: a.prefix });
  expect(a.path).not.toBe(b.path);
  for (const { store } of [a, b]) {
    await store.append('s', newEvents(3));
    await store.flush();
  }
  // A's copy of `s` is in Redis; B's warm store has its own `s`, at the same version.
  await a.store.readStream('s');
  await a.store.flush();
  return { a, b };
}

describe('two tiered stores over different warm stores, one Redis key prefix', () => {
  it("strict: neither serves the other's copy, though the versions match", async () => {
    const { a, b } = await twoDeployments();
    expect(ids(await b.store.readStream('s'))).toEqual(ids(await b.sqlite.readStream('s')));
    expect(ids(await b.store.readStream('s', { toVersion: 2 }))).toEqual(
      ids(await b.sqlite.readStream('s', { toVersion: 2 })),
    );
    expect(ids((await b.store.readStreams(['s'])).get('s')!)).toEqual(ids(await b.sqlite.readStream('s')));
    await b.store.flush();
    // And B's copies do not reach A either.
    expect(ids(await a.store.readStream('s'))).toEqual(ids(await a.sqlite.readStream('s')));
  });

  it("bounded: neither serves the other's copy within the bound", async () => {
    const { a, b } = await twoDeployments({ consistency: 'bounded', maxStalenessMs: 60_000 });
    expect(ids(await b.store.readStream('s'))).toEqual(ids(await b.sqlite.readStream('s')));
    await b.store.flush();
    expect(ids(await a.store.readStream('s'))).toEqual(ids(await a.sqlite.readStream('s')));
    expect(ids(await b.store.readStream('s'))).toEqual(ids(await b.sqlite.readStream('s')));
  });

  it("a write-through never extends the other's copy", async () => {
    const { a, b } = await twoDeployments();
    await b.store.append('s', newEvents(1), { expectedVersion: 3 });
    await b.store.flush();
    await a.store.append('s', newEvents(1), { expectedVersion: 3 });
    await a.store.flush();
    expect(ids(await a.store.readStream('s'))).toEqual(ids(await a.sqlite.readStream('s')));
    expect(ids(await b.store.readStream('s'))).toEqual(ids(await b.sqlite.readStream('s')));
  });

  it('a copy in the layout before storage ids (no id in its keys) is never read', async () => {
    const { a } = await twoDeployments();
    const unscoped = createRedisHotTier(a.redis, { keyPrefix: a.prefix });
    await unscoped.promote('t', await a.sqlite.readStream('s'), {
      verifiedAt: Date.now(),
      ttlSeconds: 60,
      maxEvents: 100,
    });
    await a.store.append('t', newEvents(3));
    expect(ids(await a.store.readStream('t'))).toEqual(ids(await a.sqlite.readStream('t')));
    expect(await a.store.readStream('t', { toVersion: 2 })).toEqual(
      await a.sqlite.readStream('t', { toVersion: 2 }),
    );
  });
});
