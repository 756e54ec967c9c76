import { ConcurrencyError, type RecordedEvent } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import {
  collectAppendNotices as collect,
  NOTICE_LIVENESS as LIVENESS,
} from '@strata/vitest-preset/append-notices';
import { Redis } from 'ioredis';
import { afterAll, expect, it, vi } from 'vitest';
import { RedisEventStore } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

/** Liveness bounds for a loaded 2-core machine, far under the runner's 30 s poll; never a speed claim. */
const WAKE_BOUND_MS = 10_000;

/** Kills one client connection by its name: never anyone else's on the shared server. */
async function killClientNamed(admin: Redis, name: string): Promise<void> {
  const list = (await admin.client('LIST')) as string;
  const line = list.split('\n').find((entry) => entry.includes(` name=${name} `));
  const id = line?.match(/\bid=(\d+)/)?.[1];
  if (id === undefined) throw new Error(`no client named ${name}`);
  await admin.client('KILL', 'ID', id);
}

describeWithRedis('store.appendNotifier (pub/sub)', await redisIsReachable(), () => {
  const keyPrefix = testKeyPrefix('append-notices');
  const otherPrefix = testKeyPrefix('append-notices-other');
  const admin = new Redis(REDIS_URL);
  // Three stores with connections of their own: as far as Redis can tell, three processes.
  const reader = new RedisEventStore({ url: REDIS_URL, keyPrefix });
  const writer = new RedisEventStore({ url: REDIS_URL, keyPrefix });
  const stranger = new RedisEventStore({ url: REDIS_URL, keyPrefix: otherPrefix });

  afterAll(async () => {
    await Promise.all([reader.close(), writer.close(), stranger.close()]);
    await deleteKeys(admin, keyPrefix);
    await deleteKeys(admin, otherPrefix);
    admin.disconnect();
  });

  it('hears the appends of another store instance with their last position, and nothing else', async () => {
    const heard = collect();
    const unsubscribe = reader.appendNotifier.subscribe(heard.listener);
    try {
      await vi.waitFor(() => expect(heard.notices).toEqual([{ lastPosition: undefined }]), LIVENESS);
      // A second listener shares the subscriber connection: the channel has one subscriber.
      const another = reader.appendNotifier.subscribe({ onAppend: () => {} });
      expect(await admin.pubsub('NUMSUB', `${keyPrefix}appends`)).toEqual([`${keyPrefix}appends`, 1]);
      another();
      const first = await writer.append('n-1', [{ type: 'a', data: {} }]);
      const event = { id: '0192f0c0-0000-7000-8000-00000000b001', type: 'b', data: {} };
      const second = await writer.append('n-2', [{ type: 'a', data: {} }, event]);
      // A refused append and an idempotent retry wrote nothing: they announce nothing.
      await expect(writer.append('n-1', [{ type: 'a', data: {} }], { expectedVersion: 5 })).rejects.toSatisfy(
        ConcurrencyError.isInstance,
      );
      await writer.append('n-2', [{ type: 'a', data: {} }, event]).catch(() => undefined);
      await stranger.append('n-3', [{ type: 'a', data: {} }]);
      const marker = await writer.append('n-4', [{ type: 'a', data: {} }]);
      await vi.waitFor(() => expect(heard.positions()).toContain(marker.lastPosition), LIVENESS);
      expect(heard.positions()).toEqual([first.lastPosition, second.lastPosition, marker.lastPosition]);
      expect(heard.errors).toEqual([]);
    } finally {
      unsubscribe();
    }
    await vi.waitFor(() => expect(reader.appendNotifier.listening).toBe(false), LIVENESS);
  });

  it('wakes a runner that polls every 30 s at once, and goes on after its subscriber connection is killed', async () => {
    const applied: bigint[] = [];
    const errors: unknown[] = [];
    const runner = new ProjectionRunner({
      store: reader,
      checkpoints: reader.checkpoints,
      projector: defineProjector({
        name: 'wake',
        handlers: { placed: (_data: unknown, event: RecordedEvent) => void applied.push(event.position) },
      }),
      polling: { minMs: 30_000, maxMs: 30_000 },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      wakeOn: reader.appendNotifier,
      onError: (error) => void errors.push(error),
    });
    runner.start();
    const notifier = reader.appendNotifier;
    try {
      await vi.waitFor(() => expect(notifier.connectionName).toBeDefined(), LIVENESS);
      // Time for the first, empty read: then the runner sleeps 30 s unless a notice wakes it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const latencies: number[] = [];
      const pickUp = async () => {
        const { lastPosition } = await writer.append('order-1', [{ type: 'placed', data: {} }]);
        const sent = Date.now();
        await vi.waitFor(() => expect(applied).toContain(lastPosition), {
          timeout: WAKE_BOUND_MS,
          interval: 5,
        });
        latencies.push(Date.now() - sent);
      };
      await pickUp();
      await pickUp();
      const name = notifier.connectionName!;
      await killClientNamed(admin, name);
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), LIVENESS);
      expect(runner.status().state).toBe('running');
      await vi.waitFor(() => expect(notifier.connectionName).not.toBe(name), LIVENESS);
      await vi.waitFor(() => expect(notifier.connectionName).toBeDefined(), LIVENESS);
      await pickUp();
      expect(applied).toHaveLength(3);
      console.info(`append-to-apply latency across store instances (ms): ${latencies.join(', ')}`);
    } finally {
      await runner.stop();
    }
    expect(notifier.listening).toBe(false);
  }, 120_000);

  it('publishes nothing when notifyAppends is off', async () => {
    const quiet = new RedisEventStore({ url: REDIS_URL, keyPrefix, notifyAppends: false });
    const heard = collect();
    const unsubscribe = reader.appendNotifier.subscribe(heard.listener);
    try {
      await vi.waitFor(() => expect(reader.appendNotifier.listening).toBe(true), LIVENESS);
      await quiet.append('q-1', [{ type: 'a', data: {} }]);
      const marker = await writer.append('q-2', [{ type: 'a', data: {} }]);
      await vi.waitFor(() => expect(heard.positions()).toContain(marker.lastPosition), LIVENESS);
      expect(heard.positions()).toEqual([marker.lastPosition]);
      expect(() => new RedisEventStore({ url: REDIS_URL, keyPrefix, notifyAppends: 1 as never })).toThrow(
        /notifyAppends/,
      );
    } finally {
      unsubscribe();
      await quiet.close();
    }
  });
});
