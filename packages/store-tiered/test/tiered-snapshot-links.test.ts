import { OwnRedisServer, TcpProxy } from '@strata/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TieredSnapshotStore } from '../src/index.js';
import { until } from './support/poll.js';
import { redisClient } from './support/redis-env.js';
import { resetCounts, type Tiered, tieredFixture } from './support/tiered-fixture.js';

// Two processes over one SQLite file and one Redis server of the test's own: A on a direct link,
// B through a proxy the test holds (a slow link) or cuts (Redis down, for B only).
let server: OwnRedisServer;
let proxy: TcpProxy;
beforeAll(async () => {
  server = await OwnRedisServer.start();
  proxy = await TcpProxy.start(server.port);
});
afterAll(async () => {
  await proxy?.close();
  await server?.kill();
});
afterEach(() => {
  proxy.release();
  proxy.restore();
});

const fixture = tieredFixture();

const snap = (version: number) => ({ streamId: 's', version, stateVersion: 1, state: { at: version } });

function snapshotsOf(tiered: Tiered): TieredSnapshotStore {
  const { snapshots } = tiered.store;
  if (snapshots === undefined) throw new Error('the fixture gives every store a warm snapshot store');
  return snapshots;
}

async function pair() {
  const a = await fixture.open({ redis: redisClient(server.url) });
  const b = await fixture.open({
    path: a.path,
    prefix: a.prefix,
    redis: redisClient(proxy.route(server.url), 10_000),
    hotTimeoutMs: 10_000,
    breaker: { failureThreshold: 1, openMs: 100 },
  });
  return { a, b };
}

describe('tiered snapshots over a slow or cut link', () => {
  it("a reader's promotion that lands after a newer save is refused", async () => {
    const { a, b } = await pair();
    await snapshotsOf(a).saveSnapshot(snap(10));
    // B misses and reads 10 from warm; its promotion is held on the slow link.
    expect(await snapshotsOf(b).loadSnapshot('s')).toMatchObject({ version: 10 });
    proxy.hold();
    // A saves 20 meanwhile (no copy was there, so none is made).
    await snapshotsOf(a).saveSnapshot(snap(20));
    proxy.release();
    await b.store.flush();
    expect(b.store.stats().snapshots.promotions).toBe(0);
    expect((await a.hot.readSnapshot('s', undefined)).copy).toBeUndefined();
    expect(await snapshotsOf(a).loadSnapshot('s')).toMatchObject({ version: 20 });
    await a.store.flush();
    resetCounts(a.snapshotCalls);
    expect(await snapshotsOf(a).loadSnapshot('s')).toMatchObject({ version: 20 });
    expect(a.snapshotCalls).toEqual({});
  });

  it('Redis down for a writer: its saves and loads work from warm, and the copy others serve is deleted once it is back', async () => {
    const { a, b } = await pair();
    await snapshotsOf(a).saveSnapshot(snap(10));
    await snapshotsOf(a).loadSnapshot('s');
    await a.store.flush();

    proxy.cut();
    await snapshotsOf(b).saveSnapshot(snap(20));
    expect(b.store.stats()).toMatchObject({ pendingInvalidations: 1, breaker: 'open' });
    expect(b.store.stats().hotErrors).toBeGreaterThan(0);
    expect(await snapshotsOf(b).loadSnapshot('s')).toMatchObject({ version: 20 });
    expect(await snapshotsOf(b).loadSnapshot('s', { maxVersion: 15 })).toMatchObject({ version: 10 });
    await snapshotsOf(b).deleteSnapshots('s', { beforeVersion: 11 });
    expect(b.logged.some((line) => line.startsWith('warn:'))).toBe(true);

    // Back: B's probe deletes the copy before anything else uses the hot tier.
    proxy.restore();
    await until('B deleted the copy it could not', () => b.store.stats().pendingInvalidations === 0);
    expect(await snapshotsOf(a).loadSnapshot('s')).toMatchObject({ version: 20 });
    await a.store.flush();
    resetCounts(b.snapshotCalls);
    expect(await snapshotsOf(b).loadSnapshot('s')).toMatchObject({ version: 20 });
    expect(b.snapshotCalls).toEqual({});
  });
});
