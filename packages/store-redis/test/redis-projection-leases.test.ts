import { fileURLToPath } from 'node:url';
import { describeProjectionLeaseRace, LIVENESS_MS } from '@strata/vitest-preset/projection-lease-race';
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

describeWithRedis(
  'projection runners in separate processes under Redis leases',
  await redisIsReachable(),
  () => {
    const keyPrefix = testKeyPrefix('projection-leases');
    const admin = new Redis(REDIS_URL);
    const store = new RedisEventStore({ client: admin, keyPrefix });

    afterAll(async () => {
      await store.close();
      await deleteKeys(admin, keyPrefix);
      await admin.quit();
    });

    const race = describeProjectionLeaseRace({
      childScript: fileURLToPath(new URL('./lease-runner-child.ts', import.meta.url)),
      childArgs: (runnerId, projector, eventType) => [REDIS_URL, keyPrefix, runnerId, projector, eventType],
      store: () => store,
      readModel: async (projector) => {
        const counts = await admin.hgetall(`${keyPrefix}read-model:${projector}`);
        const runners = await admin.hgetall(`${keyPrefix}read-model-runner:${projector}`);
        return Object.keys(counts)
          .sort((a, b) => Number(BigInt(a) - BigInt(b)))
          .map((position) => ({ applications: Number(counts[position]), runner: runners[position]! }));
      },
    });

    it('a holder paused past its TTL (SIGSTOP) is fenced out when it resumes: it stands by, the other goes on', async () => {
      const holder = race.spawnRunner('paused');
      const { fence: pausedFence } = await holder.reached('running');
      const standby = race.spawnRunner('standby');
      await standby.reached('standby');
      const first = await race.appendCounted(300);
      await vi.waitFor(async () => expect((await race.readModel()).length).toBeGreaterThan(40), {
        timeout: LIVENESS_MS,
        interval: 10,
      });
      // Frozen, it neither renews nor knows: its key expires and the standby takes the lease.
      holder.child.kill('SIGSTOP');
      const taken = await standby.reached('running');
      expect(BigInt(taken.fence!)).toBeGreaterThan(BigInt(pausedFence!));
      await race.caughtUpTo(first);
      holder.child.kill('SIGCONT');
      // Resumed, it finds its lease gone (or its save fenced) and stands by instead of going on.
      await vi.waitFor(() => expect(holder.reports.at(-1)?.state).toBe('standby'), {
        timeout: LIVENESS_MS,
        interval: 20,
      });
      const last = await race.appendCounted(50);
      await race.caughtUpTo(last);
      const rows = await race.readModel();
      expect(rows).toHaveLength(350);
      // At most the batch it had in hand when frozen, and one event it may finish on resuming.
      expect(rows.filter((row) => row.applications > 1).length).toBeLessThanOrEqual(11);
      expect(rows.filter((row) => row.applications > 2)).toEqual([]);
      expect((await store.checkpoints.loadCheckpointState(race.names.projector))?.fence).toBe(
        BigInt(taken.fence!),
      );
      await race.stop(standby);
      await race.stop(holder);
    }, 180_000);
  },
);
