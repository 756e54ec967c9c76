import { randomUUID } from 'node:crypto';
import { describeRefusedAppend } from '@strata/conformance';
import { StoreUnavailableError, ValidationError } from '@strata/core';
import { OwnRedisServer } from '@strata/test-servers';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventStore } from '../src/index.js';

// A server of this file's own whose bulk strings are limited to 1 MB (Redis' smallest setting),
// below core's payload limit: only the server knows it.
const MAX_BULK = 1024 * 1024;
let server: OwnRedisServer;
let stores: RedisEventStore[] = [];

beforeAll(async () => {
  server = await OwnRedisServer.start();
  const admin = new Redis(server.url);
  await admin.config('SET', 'proto-max-bulk-len', String(MAX_BULK));
  admin.disconnect();
}, 30_000);

afterEach(async () => {
  for (const store of stores) await store.close();
  stores = [];
});

afterAll(async () => {
  await server?.kill();
});

function open(): RedisEventStore {
  const store = new RedisEventStore({
    url: server.url,
    keyPrefix: `refused-${randomUUID()}:`,
    timeoutMs: 3000,
  });
  stores.push(store);
  return store;
}

describe("an event over the server's proto-max-bulk-len", () => {
  it('fails alone with ValidationError; appends sent with it and after it commit', async () => {
    const store = open();
    await store.append('warm', [{ type: 'ok', data: 0 }]);
    const innocents = ['a', 'b', 'c'].map((streamId) =>
      store.append(streamId, [{ type: 'ok', data: streamId }]),
    );
    const refused = store
      .append('big', [
        { type: 'ok', data: 1 },
        { type: 'ok', data: 'x'.repeat(MAX_BULK) },
      ])
      .catch((e: unknown) => e);
    const more = ['d', 'e'].map((streamId) => store.append(streamId, [{ type: 'ok', data: streamId }]));
    const settled = await Promise.allSettled([...innocents, ...more]);
    expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(
      settled.map(() => 'ok'),
    );
    const error = await refused;
    expect(StoreUnavailableError.isInstance(error), String(error)).toBe(false);
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    expect((error as ValidationError).path).toBe('events[1].data');
    expect(await store.streamVersion('big')).toBe(0);
    await expect(store.append('after', [{ type: 'ok', data: 1 }])).resolves.toMatchObject({
      firstVersion: 1,
    });
  });
});

// The kit's topic, with the oversize event as the payload this server refuses.
describeRefusedAppend({
  create: async () =>
    new RedisEventStore({ url: server.url, keyPrefix: `kit-${randomUUID()}:`, timeoutMs: 3000 }),
  refusedEvent: () => ({ type: 'conformance.oversize', data: 'x'.repeat(MAX_BULK) }),
});
