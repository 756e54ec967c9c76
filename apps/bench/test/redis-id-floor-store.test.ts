import { TcpProxy } from '@strata/test-servers';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import { deleteKeys } from '../src/redis-key-cleanup.js';
import { RedisIdFloorStore } from '../src/targets/redis-id-floor-store.js';
import { RedisMinimalStore } from '../src/targets/redis-minimal-store.js';
import { probeRedis, REDIS_URL } from '../src/tiered/redis-bench-hot-tier.js';
import { benchEvent } from '../src/workloads/bench-events.js';
import { expectInputCheckedFirst } from './support/floor-input-checks.js';
import { expectFirstStreamTypeKept } from './support/floor-stream-type.js';
import { describeWithServer } from './support/server-gate.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeWithServer('the Redis id floor', await probeRedis(REDIS_URL), () => {
  const prefix = `${new BenchObjectNames('strata-bench-test:').next('floor')}:`;
  afterAll(async () => {
    const admin = new Redis(REDIS_URL);
    try {
      await deleteKeys(admin, prefix);
    } finally {
      admin.disconnect();
    }
  });

  it('stores each event id in its entry, so its reads return real ids, and refuses a version conflict', async () => {
    const floor = await RedisIdFloorStore.open(REDIS_URL, prefix);
    const reader = await RedisMinimalStore.open(REDIS_URL, prefix);
    try {
      const before = Date.now();
      await floor.append('s', [benchEvent(0), { ...benchEvent(1), schemaVersion: 3 }], 0);
      await floor.append('t', [benchEvent(2)], 0);
      await expect(floor.append('s', [benchEvent(3)], 1)).rejects.toThrow('stream s is at 2, not 1');

      const stream = await reader.readStreamEvents('s');
      const log = await reader.readAllEvents(0n, 10);
      expect(stream.map((e) => e.version)).toEqual([1, 2]);
      expect(log.map((e) => e.streamId)).toEqual(['s', 's', 't']);
      for (const event of log) expect(event.id).toMatch(UUID_V7);
      expect(new Set(log.map((e) => e.id)).size).toBe(3);
      expect(stream.map((e) => e.id)).toEqual(log.slice(0, 2).map((e) => e.id));
      // The schema version and the recording time are stored, as every read returns them.
      expect(stream.map((e) => e.schemaVersion)).toEqual([1, 3]);
      for (const event of log) expect(event.recordedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(await floor.readStream('s')).toBe(2);
      expect(await floor.readAll(0n, 10)).toEqual({ count: 3, lastPosition: log[2]?.position });
      expect(log.map((e) => e.streamType)).toEqual(['default', 'default', 'default']);
    } finally {
      await reader.close();
      await floor.close();
    }
  });

  it('fails an append that Redis does not answer, at its deadline, as the store does', async () => {
    const proxy = await TcpProxy.inFrontOf(REDIS_URL);
    const floor = await RedisIdFloorStore.open(proxy.route(REDIS_URL), prefix, 200);
    try {
      proxy.hold();
      await expect(floor.append('stalled', [benchEvent(0)], 0)).rejects.toThrow(
        'did not answer the floor within 200 ms',
      );
    } finally {
      proxy.release();
      await floor.close();
      await proxy.close();
    }
  });

  it("checks the input before it sends anything, and keeps a stream's type as its first append fixed it", async () => {
    const floor = await RedisIdFloorStore.open(REDIS_URL, prefix);
    try {
      await expectInputCheckedFirst(floor);
      await expectFirstStreamTypeKept(floor);
    } finally {
      await floor.close();
    }
  });
});
