import { ConcurrencyError } from '@strata/core';
import { OwnRedisServer } from '@strata/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BreakerState } from '../src/index.js';
import { until } from './support/poll.js';
import { redisClient } from './support/redis-env.js';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

// Every test here owns a redis-server on its own port, so it can kill and restart it.
let server: OwnRedisServer;
beforeAll(async () => {
  server = await OwnRedisServer.start();
});
afterAll(async () => {
  await server?.kill();
});
afterEach(async () => {
  await server.restart();
});

const fixture = tieredFixture();
const openOnOwnServer = (options: Parameters<typeof fixture.open>[0] = {}) =>
  fixture.open({
    redis: redisClient(server.url, 200),
    hotTimeoutMs: 200,
    breaker: { failureThreshold: 3, openMs: 30 },
    ...options,
  });
const ids = (events: { id: string }[]) => events.map((e) => e.id);

describe('the Redis hot tier goes away', () => {
  it('killed mid-run and restarted: appends and reads go on from warm, no stale read, no lost event', async () => {
    const a = await openOnOwnServer();
    const b = await openOnOwnServer({ path: a.path, prefix: a.prefix });
    const streams = ['s0', 's1', 's2', 's3'];
    const appended = new Map<string, string[]>(streams.map((s) => [s, []]));
    const states: BreakerState[] = [];
    a.store.on('breaker', ({ state }) => states.push(state));

    for (let i = 0; i < 120; i++) {
      if (i === 40) {
        expect(a.store.stats().hits + b.store.stats().hits).toBeGreaterThan(10);
        await server.kill();
      }
      if (i === 80) await server.restart();
      const writer = i % 2 === 0 ? a : b;
      const reader = i % 3 === 0 ? a : b;
      const streamId = streams[i % streams.length]!;
      const events = newEvents(1 + (i % 3)).map((e, j) => ({ ...e, id: `${streamId}-${i}-${j}` }));
      await writer.store.append(streamId, events);
      await writer.store.flush();
      appended.get(streamId)!.push(...ids(events));
      // Every read after an append completed sees it, whichever store wrote and whatever Redis did.
      expect(ids(await reader.store.readStream(streamId)), `step ${i}`).toEqual(appended.get(streamId));
      expect(await reader.store.readStream(streamId, { direction: 'backward', limit: 2 })).toEqual(
        await a.sqlite.readStream(streamId, { direction: 'backward', limit: 2 }),
      );
    }

    for (const t of [a, b]) {
      await until('the breaker closed again', () => t.store.stats().breaker === 'closed');
      await until('pending invalidations were flushed', () => t.store.stats().pendingInvalidations === 0);
      expect(t.store.stats().breakerOpenings).toBe(1);
      expect(t.store.stats().writeThroughFailures).toBeGreaterThan(0);
      // One line when the outage started, one when it ended: not one per failed call.
      expect(t.logged.map((line) => line.split(':')[0])).toEqual(['warn', 'info']);
    }
    expect(states).toContain('open');
    expect(states.at(-1)).toBe('closed');
    const all = await b.store.readStreams(streams);
    await b.store.flush();
    for (const streamId of streams) {
      expect(ids(all.get(streamId)!)).toEqual(appended.get(streamId));
      expect(all.get(streamId)).toEqual(await a.sqlite.readStream(streamId));
    }
    // Back to hits once Redis is back.
    const hitsBefore = a.store.stats().hits;
    await a.store.readStream('s0');
    await a.store.flush();
    await a.store.readStream('s0');
    await a.store.flush();
    expect(a.store.stats().hits).toBeGreaterThan(hitsBefore);
  });

  it('a server that lost its script cache (restart, SCRIPT FLUSH) gets the scripts again', async () => {
    const t = await openOnOwnServer();
    await t.store.append('s', newEvents(2));
    await t.store.readStream('s');
    await t.store.flush();
    await t.redis.call('script', ['flush']);
    expect(await t.store.readStream('s')).toEqual(await t.sqlite.readStream('s'));
    await t.store.append('s', newEvents(1));
    await t.store.flush();
    expect(t.store.stats()).toMatchObject({ hits: 1, writeThroughs: 1, hotErrors: 0 });
  });

  it('with the breaker open, no call goes to the hot tier and nothing fails', async () => {
    const t = await openOnOwnServer({ breaker: { failureThreshold: 2, openMs: 60_000 } });
    await t.store.append('s', newEvents(2));
    await t.store.flush();
    await t.store.readStream('s');
    await t.store.flush();
    await server.kill();
    await t.store.readStream('s');
    await t.store.flush();
    await t.store.readStream('s');
    await t.store.flush();
    expect(t.store.stats()).toMatchObject({ breaker: 'open', hotErrors: 2, breakerOpenings: 1 });

    resetCounts(t.hotCalls, t.warmCalls);
    for (let i = 0; i < 10; i++) {
      await t.store.append('s', newEvents(1));
      await t.store.flush();
      expect(await t.store.readStream('s')).toHaveLength(3 + i);
      await t.store.readStreams(['s', 'other']);
      await t.store.flush();
    }
    await expect(t.store.append('s', newEvents(1), { expectedVersion: 0 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    expect(t.hotCalls).toEqual({});
    expect(t.warmCalls).toMatchObject({ append: 11, readStream: 10, readStreams: 10 });
    expect(t.store.stats()).toMatchObject({
      hotErrors: 2,
      writeThroughFailures: 10,
      pendingInvalidations: 1,
      missesByReason: { unavailable: 32 },
    });
  });

  it('the breaker probes while Redis is down, closes once it is back, and deletes pending copies first', async () => {
    const t = await openOnOwnServer();
    const transitions: string[] = [];
    t.store.on('breaker', ({ previous, state }) => transitions.push(`${previous}->${state}`));
    await t.store.append('s', newEvents(2));
    await t.store.flush();
    await t.store.readStream('s');
    await t.store.flush();
    await server.kill();
    for (let i = 0; i < 3; i++) await t.store.readStream('s');
    await t.store.append('s', newEvents(1));
    await t.store.flush();
    // Probes fail while the server is down: open, half-open, open again...
    await until('two probes failed', () => transitions.filter((x) => x === 'half-open->open').length >= 2);
    expect(t.store.stats()).toMatchObject({
      breaker: expect.stringMatching(/open/),
      pendingInvalidations: 1,
    });
    await server.restart();
    await until('the breaker closed', () => t.store.stats().breaker === 'closed');
    expect(transitions.slice(0, 3)).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
    expect(transitions.at(-1)).toBe('half-open->closed');
    // The restarted server is empty anyway; what matters is that the pending delete was sent.
    expect(t.store.stats()).toMatchObject({ pendingInvalidations: 0 });
    expect(t.hotCalls.ping).toBeGreaterThanOrEqual(3);
    expect(await t.store.readStream('s')).toEqual(await t.sqlite.readStream('s'));
  });

  it('a hot-tier failure after the warm commit never fails the append, and is counted', async () => {
    const t = await openOnOwnServer({ breaker: { failureThreshold: 100, openMs: 60_000 } });
    const failures: string[] = [];
    t.store.on('writeThroughFailure', ({ streamId }) => failures.push(streamId));
    await t.store.append('s', newEvents(2));
    // Created now: a stream's first append makes no hot call, its later ones do.
    await t.store.append('other', newEvents(1));
    await t.store.flush();
    await t.store.readStream('s');
    await t.store.flush();
    await server.kill();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await t.store.append('s', newEvents(1)));
    await t.store.flush();
    expect(results.map((r) => r.lastVersion)).toEqual([3, 4, 5, 6, 7]);
    expect(failures).toEqual(['s', 's', 's', 's', 's']);
    expect(t.store.stats()).toMatchObject({
      writeThroughFailures: 5,
      pendingInvalidations: 1,
      breaker: 'closed',
    });
    expect(t.logged.filter((line) => line.startsWith('warn'))).toHaveLength(1);
    await server.restart();
    await until('the client reconnected', () => t.redis.status === 'ready');
    // The next successful hot call flushes the pending delete.
    await t.store.append('other', newEvents(1));
    await t.store.flush();
    await until('the pending invalidation was flushed', () => t.store.stats().pendingInvalidations === 0);
    expect(await t.store.readStream('s')).toEqual(await t.sqlite.readStream('s'));
  });
});
