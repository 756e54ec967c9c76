import { AggregateRepository, AggregateRoot, ConcurrencyError, type EventHandlers } from '@strata/core';
import { OwnRedisServer, TcpProxy } from '@strata/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisClient } from './support/redis-env.js';
import { tieredFixture } from './support/tiered-fixture.js';

// A reader's promotion that lands late: reader B reaches Redis through a proxy the test holds, so
// the copy B read lands only after writer A, on a direct link, has been refused and has deleted
// the copy. Both share one warm store (a SQLite file) and one Redis server.
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
afterEach(() => proxy.release());

const fixture = tieredFixture();

type CounterEvent = { type: 'counter.incremented'; data: { by: number } };

class Counter extends AggregateRoot<CounterEvent> {
  value = 0;
  protected readonly handlers: EventHandlers<CounterEvent> = {
    'counter.incremented': ({ by }) => {
      this.value += by;
    },
  };

  increment(by: number): void {
    this.record('counter.incremented', { by });
  }
}

const counters = (store: ConstructorParameters<typeof AggregateRepository<Counter>>[0]) =>
  new AggregateRepository(store, { streamType: 'counter', create: (id) => new Counter(id) });

describe('a promotion that lands late over a slow link (bounded)', () => {
  it('after a ConcurrencyError the very next load is fresh: update needs no extra retry', async () => {
    const bounded = { consistency: 'bounded', maxStalenessMs: 60_000 } as const;
    const a = await fixture.open({ ...bounded, redis: redisClient(server.url) });
    const b = await fixture.open({
      ...bounded,
      path: a.path,
      prefix: a.prefix,
      redis: redisClient(proxy.route(server.url), 10_000),
      hotTimeoutMs: 10_000,
    });
    const writer = counters(a.store);
    const other = counters(a.sqlite); // another process, past the hot tier
    await other.update('c', (counter) => counter.increment(1), { createIfMissing: true });

    // B misses and reads version 1 from warm; its promotion is held on the slow link.
    const stopHolding = b.store.on('miss', () => proxy.hold());
    expect(await b.store.readStream('counter-c')).toHaveLength(1);
    stopHolding();

    // A loads version 1 (and promotes it), another process appends version 2, A's save is
    // refused and deletes A's copy.
    const stale = await writer.load('c');
    await a.store.flush();
    await other.update('c', (counter) => counter.increment(10));
    stale.increment(100);
    await expect(writer.save(stale)).rejects.toSatisfy(ConcurrencyError.isInstance);

    // Only now does B's copy of version 1 land, verified when B read it: within the bound.
    proxy.release();
    await b.store.flush();
    expect(b.store.stats().promotions).toBe(1);
    expect((await a.hot.peek('counter-c'))?.toVersion).toBe(1);

    // A's retry reloads: the error said version 2, so a copy ending at 1 is not served.
    const updated = await writer.update('c', (counter) => counter.increment(100), { retries: 0 });
    expect(updated.value).toBe(111);
    expect(updated.persistedVersion).toBe(3);
  });

  it('the same holds for readStreams after the refusal', async () => {
    const bounded = { consistency: 'bounded', maxStalenessMs: 60_000 } as const;
    const a = await fixture.open({ ...bounded, redis: redisClient(server.url) });
    const b = await fixture.open({
      ...bounded,
      path: a.path,
      prefix: a.prefix,
      redis: redisClient(proxy.route(server.url), 10_000),
      hotTimeoutMs: 10_000,
    });
    await a.sqlite.append('s', [{ type: 'x', data: {} }]);
    const stopHolding = b.store.on('miss', () => proxy.hold());
    await b.store.readStreams(['s']);
    stopHolding();
    await a.sqlite.append('s', [{ type: 'x', data: {} }]);
    await expect(a.store.append('s', [{ type: 'x', data: {} }], { expectedVersion: 1 })).rejects.toSatisfy(
      ConcurrencyError.isInstance,
    );
    proxy.release();
    await b.store.flush();
    expect((await a.hot.peek('s'))?.toVersion).toBe(1);
    expect((await a.store.readStreams(['s'])).get('s')).toHaveLength(2);
  });
});
