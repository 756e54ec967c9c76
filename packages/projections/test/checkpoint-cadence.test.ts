import { type SaveCheckpointOptions, ValidationError } from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore } from '@strata/store-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defineProjector,
  PoisonEventError,
  ProjectionRunner,
  type ProjectionRunnerOptions,
} from '../src/index.js';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };

/** The reference checkpoint store, keeping a list of the positions saved. */
class CountedCheckpoints extends MemoryCheckpointStore {
  readonly saves: bigint[] = [];

  override async saveCheckpoint(name: string, position: bigint, options?: SaveCheckpointOptions) {
    await super.saveCheckpoint(name, position, options);
    this.saves.push(position);
  }
}

async function appendCounted(store: ReturnType<typeof createMemoryEventStore>, n: number): Promise<bigint[]> {
  const positions: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const { lastPosition } = await store.append(`s-${i % 3}`, [{ type: 'counted', data: {} }]);
    positions.push(lastPosition);
  }
  return positions;
}

function setup(
  options: Partial<ProjectionRunnerOptions> = {},
  handler: (position: bigint) => void | Promise<void> = () => {},
) {
  const store = createMemoryEventStore();
  const checkpoints = new CountedCheckpoints();
  const applied: bigint[] = [];
  const projector = defineProjector({
    name: 'totals',
    handlers: {
      counted: async (_data: unknown, event) => {
        await handler(event.position);
        applied.push(event.position);
      },
    },
  });
  const runner = new ProjectionRunner({
    store,
    checkpoints,
    projector,
    retry: fast,
    batchSize: 10,
    ...options,
  });
  return { store, checkpoints, runner, applied };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('checkpoint cadence of an at-least-once runner', () => {
  it('checks checkpointEvery before anything is read, and refuses it with transactions', () => {
    const store = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const projector = defineProjector({ name: 'p', handlers: { a: () => {} } });
    const make = (checkpointEvery: unknown) =>
      new ProjectionRunner({
        store,
        checkpoints,
        projector,
        checkpointEvery: checkpointEvery as ProjectionRunnerOptions['checkpointEvery'],
      });
    for (const bad of [
      {},
      null,
      { events: 0 },
      { events: 1.5 },
      { milliseconds: -1 },
      { milliseconds: Number.NaN },
    ]) {
      expect(() => make(bad)).toThrow(ValidationError);
    }
    expect(() => make({ events: 1 })).not.toThrow();
    expect(() => make({ milliseconds: 0 })).not.toThrow();
  });

  it('while catching up saves every `events`, then once at the head', async () => {
    const { store, checkpoints, runner, applied } = setup({ checkpointEvery: { events: 30 } });
    const positions = await appendCounted(store, 95);
    expect(await runner.catchUp()).toBe(95);
    // Batches of 10: saves after 30, 60 and 90 events read, and at the head (a short page of 5).
    expect(checkpoints.saves).toEqual([positions[29], positions[59], positions[89], positions[94]]);
    expect(applied).toEqual(positions);
    expect(runner.status()).toMatchObject({ checkpoint: positions[94], applied: positions[94] });
  });

  it('saves at the head when the log ends on a full page (the empty read after it)', async () => {
    const { store, checkpoints, runner } = setup({ checkpointEvery: { events: 1_000 } });
    const positions = await appendCounted(store, 40);
    expect(await runner.catchUp()).toBe(40);
    expect(checkpoints.saves).toEqual([positions[39]]);
    expect(await checkpoints.loadCheckpoint('totals')).toBe(positions[39]);
  });

  it('by default saves about once a second while catching up, counted from the oldest unsaved batch', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Each batch of 10 takes 400 ms of (fake) time: the oldest unsaved one is 1,200 ms old after the third.
    const { store, checkpoints, runner } = setup({}, (position) => {
      if (position % 10n === 0n) vi.setSystemTime(Date.now() + 400);
    });
    const positions = await appendCounted(store, 105);
    expect(await runner.catchUp()).toBe(105);
    expect(checkpoints.saves).toEqual([positions[29], positions[59], positions[89], positions[104]]);
  });

  it('a live runner (pages that are not full) saves after every batch', async () => {
    const { store, checkpoints, runner } = setup({ checkpointEvery: { events: 1_000 } });
    const first = await appendCounted(store, 3);
    await runner.catchUp();
    const second = await appendCounted(store, 2);
    await runner.catchUp();
    expect(checkpoints.saves).toEqual([first[2], second[1]]);
  });

  it('reports what it applied beside what it saved, and its lag from what it applied; stop() saves it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let positions: bigint[] = [];
    const { store, checkpoints, runner } = setup({ checkpointEvery: { events: 1_000 } }, async (position) => {
      if (position === positions[25]) await gate;
    });
    positions = await appendCounted(store, 60);
    runner.start();
    await vi.waitFor(() => expect(runner.status().applied).toBe(positions[19]), { timeout: 10_000 });
    expect(runner.status().checkpoint).toBeUndefined();
    expect(checkpoints.saves).toEqual([]);
    expect(await runner.lag()).toMatchObject({ events: 40, atLeast: false });
    const stopped = runner.stop();
    release();
    await stopped;
    // The batch in hand was finished, and what was applied saved once, on the way out.
    expect(checkpoints.saves).toEqual([positions[29]]);
    expect(runner.status()).toMatchObject({
      state: 'stopped',
      checkpoint: positions[29],
      applied: positions[29],
    });
  });

  it('a rebuild saves at its start and at the head before it resolves, not after every batch', async () => {
    const { store, checkpoints, runner, applied } = setup({ checkpointEvery: { events: 1_000 } });
    const positions = await appendCounted(store, 55);
    await runner.catchUp();
    checkpoints.saves.length = 0;
    applied.length = 0;
    const progress = await runner.rebuild({ reset: () => {} });
    expect(progress).toMatchObject({ done: true, eventsDone: 55, position: positions[54] });
    expect(checkpoints.saves).toEqual([0n, positions[54]]);
    expect(applied).toEqual(positions);
  });

  it('a running runner with unsaved batches rebuilds from its saved checkpoint', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let positions: bigint[] = [];
    const { store, checkpoints, runner } = setup({ checkpointEvery: { events: 1_000 } }, async (position) => {
      if (position === positions[35]) await gate;
    });
    positions = await appendCounted(store, 50);
    runner.start();
    await vi.waitFor(() => expect(runner.status().applied).toBe(positions[29]), { timeout: 10_000 });
    const rebuilt = runner.rebuild({ reset: () => {} });
    release();
    expect(await rebuilt).toMatchObject({ done: true, position: positions[49] });
    // The save that moved the checkpoint back expected the saved position (none), not the applied one.
    expect(checkpoints.saves[0]).toBe(0n);
    expect(await checkpoints.loadCheckpoint('totals')).toBe(positions[49]);
    await runner.stop();
  });

  it('a failed run saves the batches it applied before the failure', async () => {
    let positions: bigint[] = [];
    const { store, checkpoints, runner } = setup({ checkpointEvery: { events: 1_000 } }, (position) => {
      if (position === positions[23]) throw new Error('poison');
    });
    positions = await appendCounted(store, 30);
    await expect(runner.catchUp()).rejects.toSatisfy(PoisonEventError.isInstance);
    // Batches 1 and 2 were applied whole; the third stopped at its fourth event.
    expect(checkpoints.saves).toEqual([positions[19]]);
  });
});
