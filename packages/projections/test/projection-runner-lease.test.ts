import {
  CheckpointFencedError,
  type CheckpointStore,
  LeaseHeldError,
  type RecordedEvent,
} from '@strata/core';
import {
  createMemoryEventStore,
  MemoryCheckpointStore,
  MemoryLeaseProvider,
  MemoryLeaseTable,
} from '@strata/store-memory';
import { describe, expect, it, vi } from 'vitest';
import { defineProjector, ProjectionRunner, type ProjectionRunnerOptions } from '../src/index.js';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };
const polling = { minMs: 1, maxMs: 5 };

/** Two runners of one projector, each with its own lease provider over one lease table. */
function twoRunners(
  batchSize = 5,
  errors: unknown[] = [],
  options: Partial<ProjectionRunnerOptions> = {},
  gate: (label: string, position: bigint) => void | Promise<void> = () => {},
) {
  const store = createMemoryEventStore();
  const checkpoints = new MemoryCheckpointStore();
  const table = new MemoryLeaseTable();
  const applied: Array<{ runner: string; position: bigint }> = [];
  const make = (label: string) => {
    const lease = new MemoryLeaseProvider(table);
    const projector = defineProjector({
      name: 'totals',
      handlers: {
        counted: async (_data: unknown, event: RecordedEvent) => {
          await gate(label, event.position);
          applied.push({ runner: label, position: event.position });
        },
      },
    });
    const runner = new ProjectionRunner({
      store,
      checkpoints,
      projector,
      batchSize,
      retry: fast,
      polling,
      lease,
      standbyRetryMs: 2,
      onError: (error) => void errors.push(error),
      ...options,
    });
    return { runner, lease };
  };
  return { store, checkpoints, table, applied, a: make('a'), b: make('b') };
}

async function appendCounted(store: ReturnType<typeof createMemoryEventStore>, n: number): Promise<bigint> {
  let last = 0n;
  for (let i = 0; i < n; i++)
    last = (await store.append(`s-${i % 3}`, [{ type: 'counted', data: {} }])).lastPosition;
  return last;
}

async function settle(check: () => boolean | Promise<boolean>): Promise<void> {
  await vi.waitFor(async () => expect(await check()).toBe(true), { timeout: 10_000, interval: 5 });
}

async function checkpointOf(checkpoints: CheckpointStore) {
  return checkpoints.loadCheckpointState('totals');
}

describe('ProjectionRunner with a lease', () => {
  it('two runners of one projector: one follows the log, the other stands by; every event applies once', async () => {
    const { store, checkpoints, applied, a, b } = twoRunners();
    a.runner.start();
    b.runner.start();
    const last = await appendCounted(store, 23);
    await settle(async () => (await checkpointOf(checkpoints))?.position === last);
    const states = [a.runner.status().state, b.runner.status().state].sort();
    expect(states).toEqual(['running', 'standby']);
    const holder = a.runner.status().state === 'running' ? a.runner : b.runner;
    expect(new Set(applied.map((entry) => entry.position)).size).toBe(23);
    expect(applied).toHaveLength(23);
    expect((await checkpointOf(checkpoints))?.fence).toBe(holder.status().leaseFence);
    await a.runner.stop();
    await b.runner.stop();
  });

  it('a standby takes over when the holder dies, with a higher fence, from the saved checkpoint', async () => {
    const { store, checkpoints, applied, a, b } = twoRunners();
    a.runner.start();
    await settle(() => a.runner.status().state === 'running');
    b.runner.start();
    const first = await appendCounted(store, 10);
    await settle(async () => (await checkpointOf(checkpoints))?.position === first);
    expect(b.runner.status().state).toBe('standby');
    const oldFence = a.runner.status().leaseFence!;
    // The holder dies: its lease is lost and it never acquires again.
    vi.spyOn(a.lease, 'acquire').mockResolvedValue(undefined);
    a.lease.simulateCrash();
    await settle(() => b.runner.status().state === 'running');
    expect(b.runner.status().leaseFence).toBeGreaterThan(oldFence);
    const last = await appendCounted(store, 10);
    await settle(async () => (await checkpointOf(checkpoints))?.position === last);
    expect(applied.filter((entry) => entry.runner === 'b')).toHaveLength(10);
    // The holder's runner, cut off, stopped processing rather than go on without its lease.
    expect(a.runner.status().state).toBe('standby');
    expect(applied).toHaveLength(20);
    await a.runner.stop();
    await b.runner.stop();
  });

  it('a holder whose save is fenced by a newer one stops processing and goes back to standby', async () => {
    const errors: unknown[] = [];
    const { store, checkpoints, table, a, b } = twoRunners(5, errors);
    a.runner.start();
    const first = await appendCounted(store, 3);
    await settle(async () => (await checkpointOf(checkpoints))?.position === first);
    const staleFence = a.runner.status().leaseFence!;
    // The lease slips away without the holder hearing of it (a partition, a paused process).
    table.holders.delete('totals');
    b.runner.start();
    await settle(() => b.runner.status().state === 'running');
    const newFence = b.runner.status().leaseFence!;
    expect(newFence).toBeGreaterThan(staleFence);
    const last = await appendCounted(store, 3);
    await settle(() => errors.some((error) => CheckpointFencedError.isInstance(error)));
    await settle(() => a.runner.status().state === 'standby');
    await settle(async () => (await checkpointOf(checkpoints))?.position === last);
    // The stale holder's save was refused; the checkpoint is the new holder's.
    expect(await checkpointOf(checkpoints)).toEqual({ position: last, fence: newFence });
    expect(b.runner.status().state).toBe('running');
    await a.runner.stop();
    await b.runner.stop();
    expect(a.runner.status().state).toBe('stopped');
  });

  it('stop() finishes the batch in hand, saves it and releases the lease for the next runner', async () => {
    const { store, checkpoints, a, b } = twoRunners(50);
    const last = await appendCounted(store, 40);
    a.runner.start();
    await settle(async () => (await checkpointOf(checkpoints))?.position === last);
    await a.runner.stop();
    expect(a.runner.status()).toMatchObject({ state: 'stopped', leaseFence: undefined });
    const next = await b.lease.acquire('totals');
    expect(next?.held).toBe(true);
    await next!.release();
  });

  it('catchUp() under a lease another runner holds throws LeaseHeldError and writes nothing', async () => {
    const { store, checkpoints, a, b } = twoRunners();
    await appendCounted(store, 2);
    const held = await b.lease.acquire('totals');
    await expect(a.runner.catchUp()).rejects.toSatisfy(LeaseHeldError.isInstance);
    expect(await checkpointOf(checkpoints)).toBeUndefined();
    await held!.release();
    expect(await a.runner.catchUp()).toBe(2);
    expect((await checkpointOf(checkpoints))?.fence).toBe(held!.fence + 1n);
  });

  it('with a checkpoint cadence, a holder that loses its lease mid catch-up saves nothing more', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stall = 0n;
    const { store, checkpoints, applied, a, b } = twoRunners(
      5,
      [],
      { checkpointEvery: { events: 1_000 } },
      (label, position) => (label === 'a' && position === stall ? held : undefined),
    );
    const last = await appendCounted(store, 30);
    stall = last - 10n;
    a.runner.start();
    await settle(() => applied.length === 19);
    const claimed = await checkpointOf(checkpoints);
    expect(claimed?.position).toBe(0n);
    // The holder dies mid catch-up, three batches and a half applied and none saved.
    vi.spyOn(a.lease, 'acquire').mockResolvedValue(undefined);
    a.lease.simulateCrash();
    release();
    await settle(() => a.runner.status().state === 'standby');
    expect(await checkpointOf(checkpoints)).toEqual(claimed);
    await a.runner.stop();
    expect(await checkpointOf(checkpoints)).toEqual(claimed);
    // The next holder starts from the last save, so it applies what the dead one never saved again.
    b.runner.start();
    await settle(async () => (await checkpointOf(checkpoints))?.position === last);
    expect(applied.filter((entry) => entry.runner === 'b')).toHaveLength(30);
    expect(applied.filter((entry) => entry.runner === 'a')).toHaveLength(20);
    await b.runner.stop();
  });

  it('with a checkpoint cadence, a holder fenced by a newer one cannot save what it applied, even on stop()', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stall = 0n;
    const errors: unknown[] = [];
    const { store, checkpoints, table, applied, a, b } = twoRunners(
      5,
      errors,
      { checkpointEvery: { events: 1_000 } },
      (label, position) => (label === 'a' && position === stall ? held : undefined),
    );
    const last = await appendCounted(store, 30);
    stall = last - 10n;
    a.runner.start();
    await settle(() => applied.length === 19);
    // The lease slips away without the holder hearing of it; a newer holder claims and catches up.
    table.holders.delete('totals');
    b.runner.start();
    await settle(async () => (await checkpointOf(checkpoints))?.position === last);
    const newFence = b.runner.status().leaseFence!;
    await b.runner.stop();
    const stopped = a.runner.stop();
    release();
    await stopped;
    expect(errors.some((error) => CheckpointFencedError.isInstance(error))).toBe(true);
    expect(await checkpointOf(checkpoints)).toEqual({ position: last, fence: newFence });
    expect(a.runner.status()).toMatchObject({ state: 'stopped' });
  });
});
