import { setTimeout } from 'node:timers/promises';
import { StoreClosedError, StoreUnavailableError } from '@strata/core';
import { OwnRedisServer } from '@strata/test-servers';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventStore, recommendedRedisOptions } from '../src/index.js';

// A server of this file's own, killed, frozen and restarted; the shared one is never touched.
let server: OwnRedisServer;

beforeAll(async () => {
  server = await OwnRedisServer.start();
}, 30_000);

afterAll(async () => {
  await server?.kill();
});

async function expectUnavailable(call: () => Promise<unknown>): Promise<StoreUnavailableError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(
    StoreUnavailableError.isInstance(error),
    `expected StoreUnavailableError, got ${String(error)}`,
  ).toBe(true);
  return error as StoreUnavailableError;
}

const event = (type: string) => ({ type, data: { type } });

describe('RedisEventStore when its server goes away', () => {
  it('fails fast while the server is down and works again, scripts reloaded, once it is back', async () => {
    const store = new RedisEventStore({ url: server.url, keyPrefix: 'kill:', timeoutMs: 3000 });
    await store.append('s', [event('before')]);
    await server.kill();

    const started = Date.now();
    const error = await expectUnavailable(() => store.append('s', [event('during')]));
    expect(error.store).toBe('redis');
    expect(String((error.cause as Error).message)).toMatch(/ECONNREFUSED|connection|writeable/i);
    await expectUnavailable(() => store.readStream('s'));
    await expectUnavailable(() => store.readAll());
    // Each call waits for one reconnection attempt, not for the whole timeout.
    expect(Date.now() - started).toBeLessThan(3000);

    // The restarted server is empty and has no scripts: the append gets NOSCRIPT and loads it.
    await server.restart();
    const admin = new Redis(server.url);
    expect(await admin.script('EXISTS', '0'.repeat(40))).toEqual([0]);
    await expect(store.append('s', [event('after')])).resolves.toMatchObject({ firstVersion: 1 });
    expect((await store.readStream('s')).map((e) => e.type)).toEqual(['after']);
    expect(await store.readAll()).toHaveLength(1);

    // The same after a SCRIPT FLUSH on a live connection.
    await admin.script('FLUSH');
    await expect(store.append('s', [event('flushed')], { expectedVersion: 1 })).resolves.toMatchObject({
      firstVersion: 2,
    });
    await admin.quit();
    await store.close();
  }, 30_000);

  it('never commits later an append it reported as failed (own client, or one with the recommended options)', async () => {
    const borrowed = new Redis(server.url, recommendedRedisOptions(1000));
    borrowed.on('error', () => {});
    const stores = [
      new RedisEventStore({ url: server.url, keyPrefix: 'late:', timeoutMs: 1000 }),
      new RedisEventStore({ client: borrowed, keyPrefix: 'late:', timeoutMs: 1000 }),
    ];
    // Several rounds: the race between the kill and the client noticing it differs each time.
    for (let round = 0; round < 3; round++) {
      for (const store of stores) await store.streamVersion('warm-up');
      await server.kill();
      for (const [i, store] of stores.entries()) {
        await expectUnavailable(() => store.append(`late-${i}`, [event('x')]));
      }
      await server.restart();
      for (const [i, store] of stores.entries()) {
        await expect
          .poll(() => store.streamVersion(`late-${i}`).catch(() => -1), {
            timeout: 5000,
            message: `store ${i}`,
          })
          .toBe(0);
      }
    }
    for (const store of stores) await store.close();
    borrowed.disconnect();
  }, 30_000);

  it('rejects within timeoutMs when the server hangs, instead of waiting forever', async () => {
    const store = new RedisEventStore({ url: server.url, keyPrefix: 'hang:', timeoutMs: 500 });
    await store.append('s', [event('before')]);
    server.pause();
    try {
      const started = Date.now();
      const error = await expectUnavailable(() => store.readStream('s'));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(String((error.cause as Error).message)).toMatch(/timed out|within 500 ms/);
    } finally {
      server.resume();
    }
    await expect.poll(() => store.streamVersion('s').catch(() => -1), { timeout: 5000 }).toBe(1);
    await store.close();
  }, 30_000);

  it('does not run a call whose deadline passed while the connection was still being made', async () => {
    server.pause(); // the kernel still accepts the TCP connection; the handshake hangs
    // The client's connect timeout is longer than the store's deadline: it connects after the call expired.
    const client = new Redis(server.url, { ...recommendedRedisOptions(5000), lazyConnect: true });
    const store = new RedisEventStore({ client, keyPrefix: 'slow-connect:', timeoutMs: 300 });
    try {
      await expectUnavailable(() => store.append('s', [event('too-late')]));
    } finally {
      server.resume();
    }
    await expect.poll(() => client.status, { timeout: 5000 }).toBe('ready');
    await setTimeout(100);
    expect(await store.streamVersion('s')).toBe(0);
    client.disconnect();
  }, 30_000);

  it('leaves a client it was given open, closes one it opened, and refuses calls after close()', async () => {
    const borrowed = new Redis(server.url, recommendedRedisOptions(1000));
    const lent = new RedisEventStore({ client: borrowed, keyPrefix: 'close:' });
    const owning = new RedisEventStore({ url: server.url, keyPrefix: 'close:' });
    await lent.append('s', [event('a')]);
    await owning.append('s', [event('b')]);
    await lent.close();
    await owning.close();
    expect(await borrowed.llen('close:{s}:e')).toBe(2);
    await expect(lent.readStream('s')).rejects.toSatisfy(StoreClosedError.isInstance);
    await expect(owning.streamVersion('s')).rejects.toSatisfy(StoreClosedError.isInstance);
    // A client its owner closed is an outage for the store, not a crash.
    await borrowed.quit();
    const reused = new RedisEventStore({ client: borrowed, keyPrefix: 'close:' });
    await expectUnavailable(() => reused.streamVersion('s'));
  });
});
