import { CheckpointConflictError, LeaseHeldError, type RecordedEvent } from '@strata/core';
import {
  createMemoryEventStore,
  MemoryCheckpointStore,
  MemoryLeaseProvider,
  MemoryLeaseTable,
} from '@strata/store-memory';
import { describe, expect, it, vi } from 'vitest';
import {
  defineProjector,
  findLogSpan,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type RebuildProgress,
} from '../src/index.js';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };

/** A read model of totals per stream, and the projector that writes it. */
function totals(name = 'totals') {
  const model = new Map<string, number>();
  const projector = defineProjector({
    name,
    handlers: {
      counted: (data: unknown, event: RecordedEvent) =>
        void model.set(event.streamId, (model.get(event.streamId) ?? 0) + (data as { by: number }).by),
    },
  });
  return { model, projector };
}

/** The same read model folded straight from the log: what every rebuild must end equal to. */
async function freshFold(store: ReturnType<typeof createMemoryEventStore>): Promise<Map<string, number>> {
  const fold = new Map<string, number>();
  for (const event of await store.readAll({ types: ['counted'] })) {
    fold.set(event.streamId, (fold.get(event.streamId) ?? 0) + (event.data as { by: number }).by);
  }
  return fold;
}

async function appendCounts(store: ReturnType<typeof createMemoryEventStore>, n: number, from = 0) {
  for (let i = from; i < from + n; i++) {
    await store.append(`s-${i % 7}`, [{ type: 'counted', data: { by: i } }]);
    if (i % 5 === 0) await store.append(`s-${i % 7}`, [{ type: 'other', data: {} }]);
  }
}

function setup(options: Partial<ProjectionRunnerOptions> = {}) {
  const store = createMemoryEventStore();
  const checkpoints = new MemoryCheckpointStore();
  const { model, projector } = totals();
  const runner = new ProjectionRunner({
    store,
    checkpoints,
    projector,
    retry: fast,
    batchSize: 10,
    ...options,
  });
  return { store, checkpoints, model, runner };
}

describe('findLogSpan', () => {
  it('finds the first and last position of logs of every length, with a few indexed probes', async () => {
    const store = createMemoryEventStore();
    expect(await findLogSpan(store)).toBeUndefined();
    for (let length = 1; length <= 70; length++) {
      const { lastPosition } = await store.append('s', [{ type: 'a', data: {} }]);
      const first = (await store.readAll({ limit: 1 }))[0]!.position;
      expect(await findLogSpan(store)).toEqual({ first, last: lastPosition });
    }
    const probes = vi.spyOn(store, 'readAll');
    await findLogSpan(store);
    expect(probes.mock.calls.length).toBeLessThanOrEqual(20);
  });
});

describe('ProjectionRunner.rebuild', () => {
  it('resets the read model and the checkpoint, replays the log with progress, and ends equal to a fresh fold', async () => {
    const { store, checkpoints, model, runner } = setup();
    await appendCounts(store, 40);
    await runner.catchUp();
    // The read model went wrong (a bug, since fixed): a rebuild puts it right.
    model.set('s-1', -1);
    model.set('stray', 5);
    const progress: RebuildProgress[] = [];
    const order: string[] = [];
    const reset = async () => {
      order.push(`reset at checkpoint ${await checkpoints.loadCheckpoint('totals')}`);
      model.clear();
    };
    const states: string[] = [];
    const final = await runner.rebuild({
      reset,
      onProgress: (p) => {
        progress.push(p);
        states.push(runner.status().state);
      },
    });
    expect(order).toEqual(['reset at checkpoint 0']);
    expect(model).toEqual(await freshFold(store));
    const head = (await store.readAll()).at(-1)!.position;
    expect(final).toMatchObject({
      eventsDone: 40,
      targetPosition: head,
      position: head,
      done: true,
      secondsLeft: 0,
    });
    expect(progress.map((p) => p.eventsDone)).toEqual([10, 20, 30, 40, 40]);
    expect(progress.every((p) => p.eventsPerSecond >= 0)).toBe(true);
    expect(progress.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(new Set(states)).toEqual(new Set(['rebuilding']));
    expect(runner.status()).toMatchObject({ state: 'stopped', rebuild: undefined });
    expect(await checkpoints.loadCheckpoint('totals')).toBe(head);
  });

  it('rebuilds inside a running runner while appends go on, then keeps following the log', async () => {
    const { store, model, runner } = setup({ polling: { minMs: 1, maxMs: 5 } });
    await appendCounts(store, 60);
    runner.start();
    await vi.waitFor(async () => expect(model).toEqual(await freshFold(store)));
    let appending = true;
    const appender = (async () => {
      // Bounded, and yielding to the runner between appends as a real server would.
      for (let i = 1000; appending && i < 3000; i++) {
        await appendCounts(store, 1, i);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const seen: string[] = [];
    const rebuilt = runner.rebuild({
      reset: () => model.clear(),
      onProgress: () => void seen.push(runner.status().state),
    });
    await rebuilt;
    appending = false;
    await appender;
    expect(seen).toContain('rebuilding');
    await vi.waitFor(async () => expect(model).toEqual(await freshFold(store)));
    expect(runner.status()).toMatchObject({ state: 'running', rebuild: undefined });
    await runner.stop();
  });

  it('puts the checkpoint back when reset throws, and fails the rebuild with its error', async () => {
    const { store, checkpoints, model, runner } = setup();
    await appendCounts(store, 12);
    await runner.catchUp();
    const before = await checkpoints.loadCheckpoint('totals');
    const copy = new Map(model);
    await expect(
      runner.rebuild({
        reset: () => {
          throw new Error('the read model is locked');
        },
      }),
    ).rejects.toThrow('the read model is locked');
    expect(await checkpoints.loadCheckpoint('totals')).toBe(before);
    expect(model).toEqual(copy);
    expect(runner.status().rebuild).toBeUndefined();
    expect(await runner.catchUp()).toBe(0);
  });

  it('a stopped runner rebuilds from the checkpoint as stored, and checks its options before anything', async () => {
    const { store, checkpoints, runner } = setup();
    await appendCounts(store, 3);
    await runner.catchUp();
    await checkpoints.saveCheckpoint('totals', 1n);
    const reset = vi.fn();
    // Moved by someone else since this runner's last catch-up: a stopped runner reads it again first.
    const stale = new ProjectionRunner({ store, checkpoints, projector: totals().projector, retry: fast });
    await stale.catchUp();
    await checkpoints.saveCheckpoint('totals', 2n);
    await expect(stale.rebuild({ reset })).resolves.toBeDefined();
    await expect(runner.rebuild({} as never)).rejects.toThrow(/reset/);
    await expect(runner.rebuild({ reset, onProgress: 3 as never })).rejects.toThrow(/onProgress/);
    expect(reset).toHaveBeenCalledTimes(1);
  });
});

describe('rebuild under a lease', () => {
  it('resets the checkpoint with the lease fence, and refuses while another runner holds the lease', async () => {
    const table = new MemoryLeaseTable();
    const { store, checkpoints, model, runner } = setup({
      lease: new MemoryLeaseProvider(table),
      polling: { minMs: 1, maxMs: 5 },
      standbyRetryMs: 2,
    });
    await appendCounts(store, 20);
    const saves = vi.spyOn(checkpoints, 'saveCheckpoint');
    runner.start();
    await vi.waitFor(() => expect(runner.status().state).toBe('running'));
    const fence = runner.status().leaseFence!;
    await runner.rebuild({ reset: () => model.clear() });
    expect(saves.mock.calls).toContainEqual(['totals', 0n, expect.objectContaining({ fence })]);
    expect(model).toEqual(await freshFold(store));
    expect((await checkpoints.loadCheckpointState('totals'))?.fence).toBe(fence);
    await runner.stop();

    const holder = await new MemoryLeaseProvider(table).acquire('totals');
    const reset = vi.fn();
    await expect(runner.rebuild({ reset })).rejects.toSatisfy(LeaseHeldError.isInstance);
    expect(reset).not.toHaveBeenCalled();
    expect(runner.status().rebuild).toBeUndefined();
    await holder!.release();
  });
});

describe('wakeOn', () => {
  it('wakes a runner that polls rarely when its notifier hears of an append, and reports a lost connection', async () => {
    const listeners = new Set<{ onAppend(n: { lastPosition?: bigint }): void; onError?(e: unknown): void }>();
    const notifier = {
      subscribe(listener: { onAppend(n: { lastPosition?: bigint }): void; onError?(e: unknown): void }) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    };
    const errors: unknown[] = [];
    const { store, model, runner } = setup({
      wakeOn: notifier,
      polling: { minMs: 600_000, maxMs: 600_000 },
      onError: (error) => void errors.push(error),
    });
    runner.start();
    await vi.waitFor(() => expect(listeners.size).toBe(1));
    // Let the first, empty read finish: the runner is now asleep for ten minutes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { lastPosition } = await store.append('s-1', [{ type: 'counted', data: { by: 4 } }]);
    for (const listener of listeners) listener.onAppend({ lastPosition });
    await vi.waitFor(() => expect(model.get('s-1')).toBe(4), { timeout: 10_000 });
    const lost = new Error('listener connection lost');
    for (const listener of listeners) listener.onError?.(lost);
    expect(errors).toEqual([lost]);
    await runner.stop();
    expect(listeners.size).toBe(0);
  });
});

describe('conflicts during a rebuild', () => {
  it('a rebuild whose reset save loses a race fails with CheckpointConflictError and writes nothing', async () => {
    const { store, checkpoints, model, runner } = setup();
    await appendCounts(store, 5);
    await runner.catchUp();
    const spy = vi.spyOn(checkpoints, 'saveCheckpoint');
    // Another runner saves between this runner's load and its guarded reset.
    spy.mockImplementationOnce(async (name, position, options) => {
      await checkpoints.saveCheckpoint(name, 1n);
      spy.mockRestore();
      return checkpoints.saveCheckpoint(name, position, options);
    });
    const reset = vi.fn(() => model.clear());
    await expect(runner.rebuild({ reset })).rejects.toSatisfy(CheckpointConflictError.isInstance);
    expect(reset).not.toHaveBeenCalled();
    expect(await checkpoints.loadCheckpoint('totals')).toBe(1n);
  });
});
