import { ConcurrencyError, type EventStore, StoreUnavailableError } from '@strata/core';
import { OwnRedisServer, TcpProxy } from '@strata/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep, until } from './support/poll.js';
import { redisClient } from './support/redis-env.js';
import {
  newEvents,
  type OpenOptions,
  resetCounts,
  startCopyNotices,
  tieredFixture,
} from './support/tiered-fixture.js';

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

/**
 * A warm store whose appends commit but, while `lost` is set, answer with the error a dropped
 * connection gives after the commit: the writer cannot know the version its append reached.
 */
function losingAnswers() {
  const state = { lost: false };
  const wrapWarm = (warm: EventStore): EventStore =>
    Object.assign(Object.create(warm) as EventStore, {
      append: async (...args: Parameters<EventStore['append']>) => {
        const result = await warm.append(...args);
        if (state.lost)
          throw new StoreUnavailableError('sqlite', new Error('connection lost after the commit'));
        return result;
      },
    });
  return { state, wrapWarm };
}

describe('past the cap of pending invalidations', () => {
  /** A's copy of `s` ends at 3; cut off, A appends to `s` and then to more streams than the cap holds. */
  async function forgetOne(options: OpenOptions) {
    const answers = losingAnswers();
    const a = await fixture.open({
      hotTimeoutMs: 300,
      breaker: { failureThreshold: 3, openMs: 30 },
      maxPendingInvalidations: 2,
      ...options,
      wrapWarm: answers.wrapWarm,
      redis: redisClient(proxy.route(server.url), 300),
    });
    await a.store.append('s', newEvents(3));
    await a.store.readStream('s');
    await a.store.flush();
    expect((await a.hot.peek('s'))?.toVersion).toBe(3);

    proxy.cut();
    answers.state.lost = true;
    for (const streamId of ['s', 't', 'u']) {
      await expect(a.store.append(streamId, newEvents(1))).rejects.toSatisfy(
        StoreUnavailableError.isInstance,
      );
    }
    answers.state.lost = false;
    expect(a.store.stats().pendingInvalidations).toBe(2);
    proxy.restore();
    await until(
      'A deleted the copies it still remembers',
      () => a.store.stats().pendingInvalidations === 0 && a.store.stats().breaker === 'closed',
    );
    // The delete A forgot was never sent: the old copy of `s` is still there.
    expect((await a.hot.peek('s'))?.toVersion).toBe(3);
    return a;
  }

  it('bounded: a stream whose invalidation was forgotten is not served stale, not even within the bound', async () => {
    const a = await forgetOne({ consistency: 'bounded', maxStalenessMs: 60_000 });
    expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    expect((await a.store.readStreams(['s'])).get('s')?.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(a.logged).toContainEqual(expect.stringMatching(/^warn: .*forgot/));
  });

  it('strict: the version check catches the old copy as it always does', async () => {
    const a = await forgetOne({});
    expect(versions(await a.store.readStream('s'))).toEqual([1, 2, 3, 4]);
    await a.store.flush();
    expect(a.store.stats().missesByReason.stale).toBe(1);
  });
});

// What a writer knows about absent copies must not outlive its copy notices.
describe('copy notices of a writer cut off from Redis', () => {
  it('a lapse forgets every stream known to have no copy: promotions made meanwhile are not missed', async () => {
    const reader = await fixture.open({ redis: redisClient(server.url, 300) });
    const writer = await fixture.open({
      path: reader.path,
      prefix: reader.prefix,
      hotTimeoutMs: 300,
      redis: redisClient(proxy.route(server.url), 300),
    });
    await startCopyNotices(writer);
    // Both known to have no copy from their first appends on.
    await writer.store.append('s', newEvents(2));
    await writer.store.append('t', newEvents(1));

    proxy.cut();
    await until('the notices lapse', () => writer.notices.includes('lapsed'));
    // Promoted while the writer could not hear of it.
    expect(await reader.store.readStream('s')).toHaveLength(2);
    await reader.store.flush();
    expect(await reader.hot.peek('s')).toMatchObject({ toVersion: 2 });
    proxy.restore();
    await until('the notices are live again', () => writer.notices.filter((n) => n === 'live').length === 2);
    expect(writer.notices).not.toContain('copied s');

    resetCounts(writer.hotCalls);
    await writer.store.append('s', newEvents(1), { expectedVersion: 2 });
    await writer.store.append('t', newEvents(1), { expectedVersion: 1 });
    await writer.store.flush();
    // Both streams are looked at again; the copy the writer never heard of is extended.
    expect(writer.hotCalls).toEqual({ peekMany: 1, extend: 1 });
    expect(await reader.hot.peek('s')).toMatchObject({ fromVersion: 1, toVersion: 3 });
    expect(await reader.store.readStream('s')).toEqual(await reader.sqlite.readStream('s'));
  });

  it('a link that stops answering (no FIN, no error) lapses the notices within about a second', async () => {
    const writer = await fixture.open({
      hotTimeoutMs: 300,
      redis: redisClient(proxy.route(server.url), 300),
    });
    await startCopyNotices(writer);
    const lives = () => writer.notices.filter((notice) => notice === 'live').length;
    proxy.hold();
    try {
      await until('the heartbeat finds the link dead', () => writer.notices.includes('lapsed'), 5_000);
    } finally {
      proxy.release();
    }
    await until('the notices are live again', () => lives() === 2);
  });

  it('close stops the notices: the watching connection is gone', async () => {
    const writer = await fixture.open({ redis: redisClient(server.url, 300) });
    await startCopyNotices(writer);
    const admin = redisClient(server.url, 300);
    try {
      await admin.connect();
      const channel = `${writer.copyPrefix}copies`;
      expect(await admin.call('pubsub', ['numsub', channel])).toEqual([channel, 1]);
      await writer.store.close();
      await until('nobody listens', async () => {
        const reply = (await admin.call('pubsub', ['numsub', channel])) as [string, number];
        return reply[1] === 0;
      });
      expect(writer.notices.at(-1)).toBe('lapsed');
    } finally {
      admin.disconnect();
    }
  });
});
