// The cross-process scenarios every lease engine runs (store-postgres, store-mysql, store-redis):
// projection runner processes race for one projector, and a standby takes over from a holder killed
// mid-batch. The engine brings its child script and its read model; the scenarios are written once.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

/** Liveness bounds for a loaded 2-core machine; nothing here measures speed. */
export const LIVENESS_MS = 30_000;

export function describeProjectionLeaseRace(options) {
  const { childScript, childArgs, store, readModel } = options;
  // tsx comes from the engine's package, beside its child script.
  const tsx = pathToFileURL(createRequire(childScript).resolve('tsx')).href;
  const running = [];
  // Each test its own projector and event type, so it sees none of an earlier test's events.
  const names = { projector: '', eventType: '' };
  let tests = 0;

  beforeEach(() => {
    tests++;
    names.projector = `lease-race-${tests}`;
    names.eventType = `counted-${tests}`;
  });
  afterEach(async () => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await options.clearReadModel?.();
  });

  function spawnRunner(runnerId) {
    const child = fork(childScript, childArgs(runnerId, names.projector, names.eventType), {
      execArgv: ['--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    running.push(child);
    const reports = [];
    child.on('message', (message) => reports.push(message));
    return {
      child,
      reports,
      reached: async (state, timeoutMs = LIVENESS_MS) => {
        await vi.waitFor(() => expect(reports.map((r) => r.state)).toContain(state), {
          timeout: timeoutMs,
          interval: 20,
        });
        return reports.find((r) => r.state === state);
      },
    };
  }

  async function appendCounted(count) {
    let last = 0n;
    for (let i = 0; i < count; i += 10) {
      const events = Array.from({ length: Math.min(10, count - i) }, () => ({
        type: names.eventType,
        data: {},
      }));
      last = (await store().append(`counter-${i % 7}`, events)).lastPosition;
    }
    return last;
  }

  async function caughtUpTo(position) {
    await vi.waitFor(
      async () => expect(await store().checkpoints.loadCheckpoint(names.projector)).toBe(position),
      { timeout: LIVENESS_MS * 2, interval: 50 },
    );
  }

  const rows = () => readModel(names.projector);

  async function stop(runner) {
    runner.child.send('stop');
    await runner.reached('exited');
  }

  it('two processes racing for one projector: one holds the lease, every event is applied exactly once', async () => {
    const before = await appendCounted(120);
    const [a, b] = [spawnRunner('a'), spawnRunner('b')];
    // Both started: one took the lease, the other stands by.
    await vi.waitFor(
      () => expect([a.reports.at(-1)?.state, b.reports.at(-1)?.state].sort()).toEqual(['running', 'standby']),
      { timeout: LIVENESS_MS, interval: 20 },
    );
    const last = await appendCounted(80);
    expect(last).toBeGreaterThan(before);
    await caughtUpTo(last);
    const applied = await rows();
    expect(applied).toHaveLength(200);
    expect(applied.filter((row) => row.applications !== 1)).toEqual([]);
    // Only the lease holder applied anything; the other stood by the whole time.
    const appliers = new Set(applied.map((row) => row.runner));
    expect(appliers.size).toBe(1);
    const [holder, standby] = appliers.has('a') ? [a, b] : [b, a];
    expect(standby.reports.map((r) => r.state)).not.toContain('running');
    expect(holder.reports.map((r) => r.state)).toContain('running');
    // A graceful stop releases the lease: the standby takes over and goes on.
    await stop(holder);
    await standby.reached('running');
    const more = await appendCounted(30);
    await caughtUpTo(more);
    const after = await rows();
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
    await vi.waitFor(async () => expect((await rows()).length).toBeGreaterThan(40), {
      timeout: LIVENESS_MS,
      interval: 10,
    });
    holder.child.kill('SIGKILL');
    const taken = await standby.reached('running');
    expect(BigInt(taken.fence)).toBeGreaterThan(BigInt(holderFence));
    await caughtUpTo(last);
    const applied = await rows();
    // Every event applied; only the batch the killed holder had in hand (not yet saved) twice.
    expect(applied).toHaveLength(300);
    expect(applied.filter((row) => row.applications > 1).length).toBeLessThanOrEqual(10);
    expect(applied.filter((row) => row.applications > 2)).toEqual([]);
    expect(await store().checkpoints.loadCheckpointState(names.projector)).toEqual({
      position: last,
      fence: BigInt(taken.fence),
    });
    await stop(standby);
  }, 180_000);

  return { names, spawnRunner, appendCounted, caughtUpTo, readModel: rows, stop };
}
