import { ConcurrencyError } from '@strata/core';
import { OwnRedisServer, TcpProxy } from '@strata/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep, until } from './support/poll.js';
import { redisClient } from './support/redis-env.js';
import { newEvents, type OpenOptions, tieredFixture } from './support/tiered-fixture.js';

// The hard case: writer A cannot reach Redis for a moment (its write-through and its invalidation
// both fail) while reader B can. Both share one warm store (a SQLite file) and one Redis server;
// A reaches Redis through a proxy the test cuts.
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
afterEach(() => proxy.restore());

const fixture = tieredFixture();
const versions = (events: { version: number }[]) => events.map((e) => e.version);

async function writerAndReader(options: OpenOptions) {
  const common = { hotTimeoutMs: 300, breaker: { failureThreshold: 3, openMs: 30 }, ...options };
  const b = await fixture.open({ ...common, redis: redisClient(server.url, 300) });
  const a = await fixture.open({
    ...common,
    path: b.path,
    prefix: b.prefix,
    redis: redisClient(proxy.route(server.url), 300),
  });
  await a.store.append('s', newEvents(3));
  await a.store.flush();
  // B promotes the stream; A's reads are hits on the same copy.
  expect(versions(await b.store.readStream('s'))).toEqual([1, 2, 3]);
  await b.store.flush();
  expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3]);
  expect(a.store.stats().hits).toBe(1);
  return { a, b };
}

/** A appends while cut off: the warm store takes it, the hot tier hears nothing, not even the invalidation. */
async function appendWhileCutOff({ a, b }: Awaited<ReturnType<typeof writerAndReader>>) {
  proxy.cut();
  await a.store.append('s', newEvents(1));
  await a.store.flush();
  // A refused append would drop the copy: that delete fails too.
  await expect(a.store.append('s', newEvents(1), { expectedVersion: 3 })).rejects.toSatisfy(
    ConcurrencyError.isInstance,
  );
  expect(a.store.stats()).toMatchObject({ writeThroughFailures: 1, pendingInvalidations: 1 });
  expect(a.store.stats().invalidations).toBe(0);
  // The copy in Redis still ends at version 3 (B looks, past its tiered store).
  expect((await b.hot.peek('s'))?.toVersion).toBe(3);
}

describe('a writer cut off from Redis while a reader is not', () => {
  it('strict: the reader never gets the old copy (the version check catches it)', async () => {
    const { a, b } = await writerAndReader({});
    await appendWhileCutOff({ a, b });
    expect(versions(await b.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    await b.store.flush();
    expect(b.store.stats().missesByReason.stale).toBe(1);
    // A reads its own append from warm while it cannot reach Redis.
    expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    proxy.restore();
    await until(
      'A deleted the copy it could not delete before',
      () => a.store.stats().pendingInvalidations === 0,
    );
    expect(a.store.stats().invalidations).toBe(1);
    expect(versions(await b.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3, 4]);
  });

  it('bounded: within the bound the reader may get the old copy; once A is back, A deletes it', async () => {
    const { a, b } = await writerAndReader({ consistency: 'bounded', maxStalenessMs: 60_000 });
    await appendWhileCutOff({ a, b });
    // Allowed by the bound (the copy was verified moments ago), and documented.
    expect(versions(await b.store.readStream('s'))).toEqual([1, 2, 3]);
    // Never for A itself: it knows its own append.
    expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    proxy.restore();
    await until(
      'A deleted the copy it could not delete before',
      () => a.store.stats().pendingInvalidations === 0,
    );
    expect(versions(await b.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3, 4]);
  });

  it('bounded: even if A never comes back, the reader sees the append once the bound has passed', async () => {
    const { a, b } = await writerAndReader({ consistency: 'bounded', maxStalenessMs: 100 });
    await appendWhileCutOff({ a, b });
    const appendedAt = Date.now();
    await sleep(110);
    expect(Date.now() - appendedAt).toBeGreaterThanOrEqual(100);
    expect(versions(await b.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    expect(a.store.stats().pendingInvalidations).toBe(1);
  });
});
