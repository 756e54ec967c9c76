import {
  CheckpointConflictError,
  EventRegistry,
  type NewEvent,
  type RecordedEvent,
  StoreUnavailableError,
  ValidationError,
} from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore, MemoryDeadLetterStore } from '@strata/store-memory';
import { describe, expect, it, vi } from 'vitest';
import {
  defineProjector,
  PoisonEventError,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type Projector,
  wakeOnAppend,
} from '../src/index.js';

type Counted = { type: 'counted'; data: { by: number; at: Date } };

const fast = { baseDelayMs: 0, maxDelayMs: 0 };

function event(type: string, data: Record<string, unknown> = {}): NewEvent {
  return { type, data };
}

async function appendCounts(store: ReturnType<typeof createMemoryEventStore>, streamId: string, n: number) {
  for (let i = 1; i <= n; i++)
    await store.append(streamId, [event('counted', { by: i })], { streamType: 'counter' });
}

function setup(projector: Projector, options: Partial<ProjectionRunnerOptions> = {}) {
  const store = createMemoryEventStore();
  const checkpoints = new MemoryCheckpointStore();
  const runner = new ProjectionRunner({ store, checkpoints, projector, retry: fast, ...options });
  return { store, checkpoints, runner };
}

describe('defineProjector', () => {
  it('checks the definition before anything is read', () => {
    expect(() => defineProjector({ name: '', handlers: { a: () => {} } })).toThrow(ValidationError);
    expect(() => defineProjector({ name: 'p' })).toThrow(/handlers, handleBatch, or both/);
    expect(() => defineProjector({ name: 'p', handleBatch: async () => {} })).toThrow(/eventTypes/);
    expect(defineProjector({ name: 'p', handlers: { b: () => {}, a: () => {} } }).eventTypes).toEqual([
      'b',
      'a',
    ]);
  });
});

describe('ProjectionRunner', () => {
  it('applies the log in position order, once, and keeps its place in the checkpoint', async () => {
    const seen: Array<[string, number]> = [];
    const projector = defineProjector({
      name: 'totals',
      handlers: {
        counted: (data: unknown, e: RecordedEvent) =>
          void seen.push([e.streamId, (data as { by: number }).by]),
      },
    });
    const { store, checkpoints, runner } = setup(projector, { batchSize: 3 });
    await appendCounts(store, 'a', 2);
    await appendCounts(store, 'b', 2);
    await store.append('a', [event('other')]);
    await appendCounts(store, 'a', 1);
    expect(await runner.catchUp()).toBe(5);
    expect(seen).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['b', 2],
      ['a', 1],
    ]);
    const all = await store.readAll();
    expect(await checkpoints.loadCheckpoint('totals')).toBe(all.at(-1)!.position);
    expect(await runner.catchUp()).toBe(0);
    expect(runner.status()).toMatchObject({
      name: 'totals',
      state: 'stopped',
      eventsProcessed: 5,
      deadLettered: 0,
    });
  });

  it('reads only the stream types it asks for, and decodes payloads with the registry', async () => {
    const registry = new EventRegistry().register('counted');
    const seen: Date[] = [];
    const projector = defineProjector<Counted>({
      name: 'dates',
      registry,
      streamTypes: ['counter'],
      handlers: { counted: ({ at }) => void seen.push(at) },
    });
    const { store, runner } = setup(projector);
    const at = new Date('2026-01-02T03:04:05.006Z');
    await store.append('c-1', [registry.serialize({ type: 'counted', data: { by: 1, at } })], {
      streamType: 'counter',
    });
    await store.append('x-1', [registry.serialize({ type: 'counted', data: { by: 1, at } })], {
      streamType: 'other',
    });
    await runner.catchUp();
    expect(seen).toEqual([at]);
  });

  it('hands handleBatch batches of at most batchSize, in order', async () => {
    const batches: number[][] = [];
    const projector = defineProjector({
      name: 'bulk',
      eventTypes: ['counted'],
      handleBatch: async (events) => void batches.push(events.map((e) => (e.data as { by: number }).by)),
    });
    const { store, runner } = setup(projector, { batchSize: 4 });
    await appendCounts(store, 's', 10);
    await runner.catchUp();
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it('sets a poison event aside in the dead-letter store and goes on', async () => {
    const applied: number[] = [];
    const projector = defineProjector({
      name: 'picky',
      handlers: {
        counted: (data: unknown) => {
          const { by } = data as { by: number };
          if (by === 3) throw new TypeError('cannot handle 3');
          applied.push(by);
        },
      },
    });
    const deadLetters = new MemoryDeadLetterStore();
    const { store, runner } = setup(projector, { deadLetters, retry: { ...fast, maxAttempts: 2 } });
    await appendCounts(store, 's', 5);
    await runner.catchUp();
    expect(applied).toEqual([1, 2, 4, 5]);
    const letters = await deadLetters.listDeadLetters('picky');
    expect(letters).toHaveLength(1);
    const third = (await store.readStream('s'))[2]!;
    expect(letters[0]).toMatchObject({
      projector: 'picky',
      position: third.position,
      eventId: third.id,
      streamId: 's',
      version: 3,
      eventType: 'counted',
      attempts: 2,
      error: { name: 'TypeError', message: 'cannot handle 3' },
    });
    expect(runner.status().deadLettered).toBe(1);
  });

  it('retries dead letters once the handler is fixed, and discards the ones you give up on', async () => {
    const broken = new Set([2, 4]);
    const applied: number[] = [];
    const projector = defineProjector({
      name: 'mendable',
      handlers: {
        counted: (data: unknown) => {
          const { by } = data as { by: number };
          if (broken.has(by)) throw new Error(`${by} fails`);
          applied.push(by);
        },
      },
    });
    const deadLetters = new MemoryDeadLetterStore();
    const { store, runner } = setup(projector, { deadLetters });
    await appendCounts(store, 's', 5);
    await runner.catchUp();
    expect(applied).toEqual([1, 3, 5]);
    expect((await deadLetters.listDeadLetters('mendable')).map((l) => l.version)).toEqual([2, 4]);

    broken.delete(2);
    expect(await runner.retryDeadLetters()).toEqual({ fixed: 1, stillFailing: 1 });
    expect(applied).toEqual([1, 3, 5, 2]);
    const [left] = await deadLetters.listDeadLetters('mendable');
    expect(left).toMatchObject({ version: 4, attempts: 6, error: { message: '4 fails' } });

    expect(await runner.discardDeadLetter(left!.position)).toBe(true);
    expect(await deadLetters.countDeadLetters('mendable')).toBe(0);
    expect(await runner.retryDeadLetters()).toEqual({ fixed: 0, stillFailing: 0 });
    await expect(setup(projector).runner.retryDeadLetters()).rejects.toThrow(ValidationError);
  });

  it('narrows a failing batch down to the one event that fails alone', async () => {
    const applied: number[] = [];
    const projector = defineProjector({
      name: 'bulk-picky',
      eventTypes: ['counted'],
      handleBatch: async (events) => {
        const values = events.map((e) => (e.data as { by: number }).by);
        if (values.includes(6)) throw new Error('6 is bad');
        applied.push(...values);
      },
    });
    const deadLetters = new MemoryDeadLetterStore();
    const { store, runner } = setup(projector, { deadLetters, batchSize: 8 });
    await appendCounts(store, 's', 8);
    await runner.catchUp();
    expect(applied.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect((await deadLetters.listDeadLetters('bulk-picky')).map((l) => l.version)).toEqual([6]);
  });

  it('without a dead-letter store, stops before a poison event and applies it once the handler is fixed', async () => {
    let broken = true;
    const applied: number[] = [];
    const projector = defineProjector({
      name: 'strict',
      handlers: {
        counted: (data: unknown) => {
          const { by } = data as { by: number };
          if (by === 2 && broken) throw new Error('not yet');
          applied.push(by);
        },
      },
    });
    const { store, checkpoints, runner } = setup(projector, { batchSize: 1 });
    await appendCounts(store, 's', 3);
    const error = await runner.catchUp().catch((e: unknown) => e);
    expect(PoisonEventError.isInstance(error)).toBe(true);
    expect((error as PoisonEventError).position).toBe((await store.readStream('s'))[1]!.position);
    expect(applied).toEqual([1]);
    expect(await checkpoints.loadCheckpoint('strict')).toBe((await store.readStream('s'))[0]!.position);
    broken = false;
    await runner.catchUp();
    expect(applied).toEqual([1, 2, 3]);
  });

  it('retries transient failures without counting them as poison, and stops when they outlast the budget', async () => {
    let failures = 2;
    const applied: number[] = [];
    const projector = defineProjector({
      name: 'flaky',
      handlers: {
        counted: (data: unknown) => {
          if (failures-- > 0) throw new StoreUnavailableError('read-model', new Error('connection reset'));
          applied.push((data as { by: number }).by);
        },
      },
    });
    const deadLetters = new MemoryDeadLetterStore();
    const errors: unknown[] = [];
    const { store, runner } = setup(projector, {
      deadLetters,
      retry: { ...fast, transientRetries: 3 },
      onError: (error) => void errors.push(error),
    });
    await appendCounts(store, 's', 2);
    await runner.catchUp();
    expect(applied).toEqual([1, 2]);
    expect(await deadLetters.countDeadLetters('flaky')).toBe(0);
    expect(errors).toHaveLength(2);

    failures = 100;
    await appendCounts(store, 's', 1);
    await expect(runner.catchUp()).rejects.toSatisfy(StoreUnavailableError.isInstance);
    expect(await deadLetters.countDeadLetters('flaky')).toBe(0);
  });

  it('lets only one of two runners advance the checkpoint; the other stops with CheckpointConflictError', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = defineProjector({ name: 'shared', handlers: { counted: () => gate } });
    const quick = defineProjector({ name: 'shared', handlers: { counted: () => {} } });
    const store = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    await appendCounts(store, 's', 2);
    const first = new ProjectionRunner({ store, checkpoints, projector: slow, retry: fast });
    const second = new ProjectionRunner({ store, checkpoints, projector: quick, retry: fast });
    // The first has read the log and is applying it when the second catches up and saves.
    const firstRun = first.catchUp();
    expect(await second.catchUp()).toBe(2);
    release();
    await expect(firstRun).rejects.toSatisfy(CheckpointConflictError.isInstance);
    expect(await checkpoints.loadCheckpoint('shared')).toBe((await store.readAll()).at(-1)!.position);
  });

  it('follows appends in the background, woken by local appends, and stops after the batch in hand', async () => {
    const applied: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const projector = defineProjector({
      name: 'live',
      handlers: {
        counted: async (data: unknown) => {
          const { by } = data as { by: number };
          if (by === 2) await gate;
          applied.push(by);
        },
      },
    });
    const base = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    // Polls so rarely that only a wake-up can explain a prompt catch-up.
    const runner = new ProjectionRunner({
      store: base,
      checkpoints,
      projector,
      batchSize: 1,
      retry: fast,
      polling: { minMs: 600_000, maxMs: 600_000 },
    });
    const store = wakeOnAppend(base, [runner]);
    runner.start();
    await vi.waitFor(() => expect(runner.status().state).toBe('running'));
    await store.append('s', [event('counted', { by: 1 })]);
    await vi.waitFor(() => expect(applied).toEqual([1]), { timeout: 10_000 });
    await store.append('s', [event('counted', { by: 2 })]);
    await vi.waitFor(() => expect(runner.status().eventsProcessed).toBe(1));
    const stopped = runner.stop();
    release();
    await stopped;
    expect(applied).toEqual([1, 2]);
    expect(runner.status().state).toBe('stopped');
    expect(await checkpoints.loadCheckpoint('live')).toBe((await base.readAll()).at(-1)!.position);
  });

  it('reports its lag in events and seconds, from its checkpoint', async () => {
    const projector = defineProjector({ name: 'lagging', handlers: { counted: () => {} } });
    const { store, runner } = setup(projector);
    await appendCounts(store, 's', 5);
    await store.append('s', [event('ignored')]);
    expect(await runner.lag()).toMatchObject({ events: 5, atLeast: false });
    expect((await runner.lag(3)).atLeast).toBe(true);
    expect((await runner.lag()).seconds).toBeGreaterThanOrEqual(0);
    await runner.catchUp();
    expect(await runner.lag()).toEqual({ events: 0, atLeast: false, seconds: 0 });
  });
});
