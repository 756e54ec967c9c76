import {
  describeCheckpointStore,
  describeDeadLetterStore,
  describeKeyStore,
  describeSnapshotStore,
} from '@strata/conformance';
import { StoreClosedError, ValidationError } from '@strata/core';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import {
  RedisCheckpointStore,
  RedisDeadLetterStore,
  RedisEventStore,
  RedisKeyStore,
  RedisSnapshotStore,
} from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

const keyPrefix = testKeyPrefix('snapshots');

describeWithRedis('RedisSnapshotStore', await redisIsReachable(), () => {
  const client = new Redis(REDIS_URL);
  const store = new RedisSnapshotStore({ client, keyPrefix });

  afterAll(async () => {
    await deleteKeys(client, keyPrefix);
    await client.quit();
  });

  it('saves and loads the newest snapshot, state and createdAt exactly', async () => {
    const createdAt = new Date('2026-03-04T05:06:07.891Z');
    const state = { balance: 12.5, owner: 'ada', tags: ['a', 'ü'], nested: { ok: true, none: null } };
    await store.saveSnapshot({ streamId: 'acc-1', version: 3, stateVersion: 1, state: { old: true } });
    await store.saveSnapshot({ streamId: 'acc-1', version: 7, stateVersion: 1, state, createdAt });
    expect(await store.loadSnapshot('acc-1')).toEqual({
      streamId: 'acc-1',
      version: 7,
      stateVersion: 1,
      state,
      createdAt,
    });
    expect(await store.loadSnapshot('missing')).toBeUndefined();
  });

  it('filters by state version and by maximum stream version', async () => {
    await store.saveSnapshot({ streamId: 'acc-2', version: 2, stateVersion: 1, state: 'v1@2' });
    await store.saveSnapshot({ streamId: 'acc-2', version: 5, stateVersion: 2, state: 'v2@5' });
    await store.saveSnapshot({ streamId: 'acc-2', version: 9, stateVersion: 1, state: 'v1@9' });
    await store.saveSnapshot({ streamId: 'acc-2', version: 11, stateVersion: 12, state: 'v12@11' });
    expect((await store.loadSnapshot('acc-2'))?.state).toBe('v12@11');
    expect((await store.loadSnapshot('acc-2', { stateVersion: 2 }))?.state).toBe('v2@5');
    expect((await store.loadSnapshot('acc-2', { stateVersion: 1 }))?.state).toBe('v1@9');
    // `1` must not match state version 12.
    expect((await store.loadSnapshot('acc-2', { stateVersion: 1, maxVersion: 8 }))?.state).toBe('v1@2');
    expect(await store.loadSnapshot('acc-2', { stateVersion: 3 })).toBeUndefined();
    expect(await store.loadSnapshot('acc-2', { maxVersion: 1 })).toBeUndefined();
  });

  it('replaces a snapshot saved again at the same version', async () => {
    await store.saveSnapshot({ streamId: 'acc-3', version: 4, stateVersion: 1, state: 'first' });
    await store.saveSnapshot({ streamId: 'acc-3', version: 4, stateVersion: 1, state: 'second' });
    expect((await store.loadSnapshot('acc-3'))?.state).toBe('second');
    expect(await client.hlen(`${keyPrefix}{acc-3}:s`)).toBe(1);
  });

  it('deletes snapshots below a version, or all, and counts them', async () => {
    for (const version of [1, 2, 3, 10]) {
      await store.saveSnapshot({ streamId: 'acc-4', version, stateVersion: 1, state: version });
    }
    expect(await store.deleteSnapshots('acc-4', { beforeVersion: 3 })).toBe(2);
    expect((await store.loadSnapshot('acc-4', { maxVersion: 9 }))?.version).toBe(3);
    expect(await store.deleteSnapshots('acc-4')).toBe(2);
    expect(await store.loadSnapshot('acc-4')).toBeUndefined();
    expect(await store.deleteSnapshots('acc-4')).toBe(0);
  });

  it('rejects bad input with ValidationError and calls after close() with StoreClosedError', async () => {
    const bad = [
      () => store.saveSnapshot({ streamId: '', version: 1, stateVersion: 1, state: 1 }),
      () => store.saveSnapshot({ streamId: 's', version: -1, stateVersion: 1, state: 1 }),
      () => store.saveSnapshot({ streamId: 's', version: 1, stateVersion: 1.5, state: 1 }),
      () => store.loadSnapshot('s', { maxVersion: -2 }),
      () => store.deleteSnapshots('s', { beforeVersion: Number.NaN }),
    ];
    for (const call of bad) await expect(call()).rejects.toSatisfy(ValidationError.isInstance);
    const closed = new RedisSnapshotStore({ client, keyPrefix });
    await closed.close();
    await expect(closed.loadSnapshot('acc-1')).rejects.toSatisfy(StoreClosedError.isInstance);
    expect(await client.ping()).toBe('PONG');
  });
});

describeWithRedis('Redis snapshot and checkpoint stores (conformance kit)', await redisIsReachable(), () => {
  const client = new Redis(REDIS_URL);
  const kitPrefix = testKeyPrefix('snapshot-kit');

  afterAll(async () => {
    await deleteKeys(client, kitPrefix);
    await client.quit();
  });

  describeSnapshotStore('RedisSnapshotStore', {
    create: async () => new RedisSnapshotStore({ client, keyPrefix: kitPrefix }),
  });
  describeCheckpointStore('RedisCheckpointStore', {
    create: async () => new RedisCheckpointStore({ client, keyPrefix: kitPrefix }),
  });
  describeDeadLetterStore('RedisDeadLetterStore', {
    create: async () => new RedisDeadLetterStore({ client, keyPrefix: kitPrefix }),
  });
  describeKeyStore('RedisKeyStore', {
    create: async () => new RedisKeyStore({ client, keyPrefix: kitPrefix }),
  });
});

describeWithRedis(
  'RedisEventStore snapshots and checkpoints (conformance kit)',
  await redisIsReachable(),
  () => {
    const client = new Redis(REDIS_URL);
    const kitPrefix = testKeyPrefix('store-snapshot-kit');
    const store = new RedisEventStore({ client, keyPrefix: kitPrefix });

    afterAll(async () => {
      await store.close();
      await deleteKeys(client, kitPrefix);
      await client.quit();
    });

    describeSnapshotStore('store.snapshots', { create: async () => store.snapshots });
    describeCheckpointStore('store.checkpoints', { create: async () => store.checkpoints });
    describeDeadLetterStore('store.deadLetters', { create: async () => store.deadLetters });
    describeKeyStore('store.keys', { create: async () => store.keys });
  },
);
