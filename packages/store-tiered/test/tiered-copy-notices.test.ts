import { OwnRedisServer, TcpProxy } from '@strata/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/poll.js';
import { redisClient } from './support/redis-env.js';
import { newEvents, resetCounts, tieredFixture } from './support/tiered-fixture.js';

// A writer whose copy notices travel through a proxy the test cuts, and a reader that reaches
// Redis directly: what the writer knows about absent copies must not outlive its notices.
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

describe('copy notices', () => {
  it('a lapse forgets every stream known to have no copy: promotions made meanwhile are not missed', async () => {
    const reader = await fixture.open({ redis: redisClient(server.url, 300) });
    const writer = await fixture.open({
      path: reader.path,
      prefix: reader.prefix,
      hotTimeoutMs: 300,
      redis: redisClient(proxy.route(server.url), 300),
    });
    await writer.store.append('first', newEvents(1));
    await until('the copy notices are live', () => writer.notices.includes('live'));
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

  it('close stops the notices: the watching connection is gone', async () => {
    const writer = await fixture.open({ redis: redisClient(server.url, 300) });
    await writer.store.append('s', newEvents(1));
    await until('the copy notices are live', () => writer.notices.includes('live'));
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
