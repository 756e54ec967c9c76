import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RedisEventStore } from '../src/index.js';
import {
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  redisIsReachable,
  testKeyPrefix,
} from './support/redis-test-server.js';

/** What a runner process reports: its state and, while it holds the lease, its fence. */
interface RunnerReport {
  state: string;
  fence?: string;
}

interface RunnerProcess {
  child: ChildProcess;
  reports: RunnerReport[];
  /** Resolves once the process has reported `state`. */
  reached(state: string, timeoutMs?: number): Promise<RunnerReport>;
}

const childScript = fileURLToPath(new URL('./lease-runner-child.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Liveness bounds for a loaded 2-core machine; nothing here measures speed. */
const LIVENESS_MS = 30_000;

describeWithRedis(
  'projection runners in separate processes under Redis leases',
  await redisIsReachable(),
  () => {
    const keyPrefix = testKeyPrefix('projection-leases');
    const admin = new Redis(REDIS_URL);
    const store = new RedisEventStore({ client: admin, keyPrefix });
    const running: ChildProcess[] = [];
    // Each test its own projector and event type, so it sees none of an earlier test's events.
    let projectorName = '';
    let eventType = '';
    let tests = 0;

    afterAll(async () => {
      await store.close();
      await deleteKeys(admin, keyPrefix);
      await admin.quit();
    });
    beforeEach(() => {
      tests++;
      projectorName = `lease-race-${tests}`;
      eventType = `counted-${tests}`;
    });
    afterEach(async () => {
      for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    });

    function spawnRunner(runnerId: string): RunnerProcess {
      const child = fork(childScript, [REDIS_URL, keyPrefix, runnerId, projectorName, eventType], {
        execArgv: ['--import', tsx],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      running.push(child);
      const reports: RunnerReport[] = [];
      child.on('message', (message) => reports.push(message as RunnerReport));
      return {
        child,
        reports,
        reached: async (state, timeoutMs = LIVENESS_MS) => {
          await vi.waitFor(() => expect(reports.map((r) => r.state)).toContain(state), {
            timeout: timeoutMs,
            interval: 20,
          });
          return reports.find((r) => r.state === state)!;
        },
      };
    }

    async function appendCounted(count: number): Promise<bigint> {
      let last = 0n;
      for (let i = 0; i < count; i += 10) {
        const events = Array.from({ length: Math.min(10, count - i) }, () => ({ type: eventType, data: {} }));
        last = (await store.append(`counter-${i % 7}`, events)).lastPosition;
      }
      return last;
    }

    async function caughtUpTo(position: bigint): Promise<void> {
      await vi.waitFor(
        async () => expect(await store.checkpoints.loadCheckpoint(projectorName)).toBe(position),
        { timeout: LIVENESS_MS * 2, interval: 50 },
      );
    }

    async function readModel(): Promise<Array<{ applications: number; runner: string }>> {
      const counts = await admin.hgetall(`${keyPrefix}read-model:${projectorName}`);
      const runners = await admin.hgetall(`${keyPrefix}read-model-runner:${projectorName}`);
      return Object.keys(counts)
        .sort((a, b) => Number(BigInt(a) - BigInt(b)))
        .map((position) => ({ applications: Number(counts[position]), runner: runners[position]! }));
    }

    async function stop(runner: RunnerProcess): Promise<void> {
      runner.child.send('stop');
      await runner.reached('exited');
    }

    it('two processes racing for one projector: one holds the lease, every event is applied exactly once', async () => {
      const before = await appendCounted(120);
      const [a, b] = [spawnRunner('a'), spawnRunner('b')];
      // Both started: one took the lease, the other stands by.
      await vi.waitFor(
        () =>
          expect([a.reports.at(-1)?.state, b.reports.at(-1)?.state].sort()).toEqual(['running', 'standby']),
        { timeout: LIVENESS_MS, interval: 20 },
      );
      const last = await appendCounted(80);
      expect(last).toBeGreaterThan(before);
      await caughtUpTo(last);
      const rows = await readModel();
      expect(rows).toHaveLength(200);
      expect(rows.filter((row) => row.applications !== 1)).toEqual([]);
      // Only the lease holder applied anything; the other stood by the whole time.
      const appliers = new Set(rows.map((row) => row.runner));
      expect(appliers.size).toBe(1);
      const [holder, standby] = appliers.has('a') ? [a, b] : [b, a];
      expect(standby.reports.map((r) => r.state)).not.toContain('running');
      expect(holder.reports.map((r) => r.state)).toContain('running');
      // A graceful stop releases the lease: the standby takes over and goes on.
      await stop(holder);
      await standby.reached('running');
      const more = await appendCounted(30);
      await caughtUpTo(more);
      const after = await readModel();
      expect(after).toHaveLength(230);
      expect(after.filter((row) => row.applications !== 1)).toEqual([]);
      await stop(standby);
    }, 180_000);

    it('a standby takes over from a holder killed with SIGKILL mid-batch, with a higher fence', async () => {
      const holder = spawnRunner('holder');
      const { fence: holderFence } = await holder.reached('running');
      const standby = spawnRunner('standby');
      await standby.reached('standby');
      const last = await appendCounted(300);
      // Kill it once it is part way through the log.
      await vi.waitFor(async () => expect((await readModel()).length).toBeGreaterThan(40), {
        timeout: LIVENESS_MS,
        interval: 10,
      });
      holder.child.kill('SIGKILL');
      const taken = await standby.reached('running');
      expect(BigInt(taken.fence!)).toBeGreaterThan(BigInt(holderFence!));
      await caughtUpTo(last);
      const rows = await readModel();
      // Every event applied; only the batch the killed holder had in hand (not yet saved) twice.
      expect(rows).toHaveLength(300);
      const twice = rows.filter((row) => row.applications > 1);
      expect(twice.length).toBeLessThanOrEqual(10);
      expect(rows.filter((row) => row.applications > 2)).toEqual([]);
      expect(await store.checkpoints.loadCheckpointState(projectorName)).toEqual({
        position: last,
        fence: BigInt(taken.fence!),
      });
      await stop(standby);
    }, 180_000);

    it('a holder paused past its TTL (SIGSTOP) is fenced out when it resumes: it stands by, the other goes on', async () => {
      const holder = spawnRunner('paused');
      const { fence: pausedFence } = await holder.reached('running');
      const standby = spawnRunner('standby');
      await standby.reached('standby');
      const first = await appendCounted(300);
      await vi.waitFor(async () => expect((await readModel()).length).toBeGreaterThan(40), {
        timeout: LIVENESS_MS,
        interval: 10,
      });
      // Frozen, it neither renews nor knows: its key expires and the standby takes the lease.
      holder.child.kill('SIGSTOP');
      const taken = await standby.reached('running');
      expect(BigInt(taken.fence!)).toBeGreaterThan(BigInt(pausedFence!));
      await caughtUpTo(first);
      holder.child.kill('SIGCONT');
      // Resumed, it finds its lease gone (or its save fenced) and stands by instead of going on.
      await vi.waitFor(() => expect(holder.reports.at(-1)?.state).toBe('standby'), {
        timeout: LIVENESS_MS,
        interval: 20,
      });
      const last = await appendCounted(50);
      await caughtUpTo(last);
      const rows = await readModel();
      expect(rows).toHaveLength(350);
      // At most the batch it had in hand when frozen, and one event it may finish on resuming.
      expect(rows.filter((row) => row.applications > 1).length).toBeLessThanOrEqual(11);
      expect(rows.filter((row) => row.applications > 2)).toEqual([]);
      expect((await store.checkpoints.loadCheckpointState(projectorName))?.fence).toBe(BigInt(taken.fence!));
      await stop(standby);
      await stop(holder);
    }, 180_000);
  },
);
