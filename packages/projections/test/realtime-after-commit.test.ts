import {
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  ValidationError,
} from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore, MemoryDeadLetterStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { defineProjector, ProjectionRunner, withRealtimeProjector } from '../src/index.js';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };
const counted = (by: number): NewEvent => ({ type: 'counted', data: { by } });

/** A read model of counts per stream, and the order events reached it. */
function countsReadModel(name = 'counts', fail?: (by: number) => boolean) {
  const totals = new Map<string, number>();
  const order: bigint[] = [];
  const projector = defineProjector({
    name,
    handlers: {
      counted: (data: unknown, event: RecordedEvent) => {
        const { by } = data as { by: number };
        if (fail?.(by)) throw new Error(`cannot count ${by}`);
        totals.set(event.streamId, (totals.get(event.streamId) ?? 0) + by);
        order.push(event.position);
      },
    },
  });
  return { totals, order, projector };
}

/** What a fresh fold of the log gives: the read model must always end equal to it. */
async function fold(store: EventStore): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const event of await store.readAll({ types: ['counted'] })) {
    totals.set(event.streamId, (totals.get(event.streamId) ?? 0) + (event.data as { by: number }).by);
  }
  return totals;
}

describe('withRealtimeProjector (after the commit)', () => {
  it('applies an append before it returns, and keeps the checkpoint at the last event of its types', async () => {
    const inner = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const { totals, projector } = countsReadModel();
    const { store, realtime } = withRealtimeProjector(inner, { projector, checkpoints });
    await store.append('a', [counted(1), counted(2)]);
    expect(totals.get('a')).toBe(3);
    const { lastPosition } = await store.append('b', [counted(5)]);
    expect(totals.get('b')).toBe(5);
    await store.append('a', [{ type: 'other', data: {} }]);
    expect(await checkpoints.loadCheckpoint('counts')).toBe(lastPosition);
    expect(realtime.status()).toMatchObject({ state: 'live', checkpoint: lastPosition, eventsProcessed: 3 });
    // The wrapper is the store: everything but append passes through.
    expect(await store.readStream('a')).toHaveLength(3);
  });

  it('applies in log order when appends end out of order, and never skips the earlier one', async () => {
    const inner = createMemoryEventStore();
    let releaseFirst: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    // The first append commits at once but its caller hears of it only after the second's.
    const slowToReturn = new Proxy(inner, {
      get(target, property, receiver) {
        if (property !== 'append') return Reflect.get(target, property, receiver);
        return async (streamId: string, events: NewEvent[]): Promise<AppendResult> => {
          const result = await target.append(streamId, events);
          if (streamId === 'first') await held;
          return result;
        };
      },
    });
    const { totals, order, projector } = countsReadModel();
    const { store } = withRealtimeProjector(slowToReturn, {
      projector,
      checkpoints: new MemoryCheckpointStore(),
    });
    const first = store.append('first', [counted(1)]);
    const second = await store.append('second', [counted(2)]);
    // The second append's step read the log from the checkpoint: the first one's event came first.
    expect(totals).toEqual(
      new Map([
        ['first', 1],
        ['second', 2],
      ]),
    );
    expect(order).toEqual([second.lastPosition - 1n, second.lastPosition]);
    releaseFirst();
    await first;
    expect(order).toHaveLength(2);
  });

  it('ends equal to a fold of the log under concurrent appends', async () => {
    const inner = createMemoryEventStore();
    const { totals, order, projector } = countsReadModel();
    const { store } = withRealtimeProjector(inner, { projector, checkpoints: new MemoryCheckpointStore() });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.append(`s-${i % 5}`, [counted(i), counted(1)])),
    );
    expect(totals).toEqual(await fold(inner));
    expect(order).toEqual([...order].sort((a, b) => (a < b ? -1 : 1)));
    expect(order).toHaveLength(80);
  });

  it('after a failure: the append resolves, the error is reported, and realtime waits for the catch-up', async () => {
    const inner = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const { totals, projector } = countsReadModel('counts', (by) => by === 13);
    const errors: unknown[] = [];
    const { store, realtime } = withRealtimeProjector(inner, {
      projector,
      checkpoints,
      onError: (error) => errors.push(error),
    });
    await store.append('a', [counted(1)]);
    const poisoned = await store.append('a', [counted(13)]);
    expect(await inner.readStream('a')).toHaveLength(2); // committed all the same
    expect(errors).toHaveLength(1);
    expect(realtime.status()).toMatchObject({ state: 'behind', behindUntil: poisoned.lastPosition });
    // Behind: later appends are not applied past the failed event.
    await store.append('a', [counted(2)]);
    expect(totals.get('a')).toBe(1);
    expect(await checkpoints.loadCheckpoint('counts')).toBe(poisoned.lastPosition - 1n);

    const deadLetters = new MemoryDeadLetterStore();
    const runner = new ProjectionRunner({ store: inner, checkpoints, projector, deadLetters, retry: fast });
    await runner.catchUp();
    expect(totals.get('a')).toBe(3);
    expect(await deadLetters.countDeadLetters('counts')).toBe(1);

    await store.append('a', [counted(4)]);
    expect(totals.get('a')).toBe(7);
    expect(realtime.status()).toMatchObject({ state: 'live', behindUntil: undefined });
  });

  it('a failure of the storage itself leaves it behind too, and the error names the cause', async () => {
    const inner = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const broken = new Error('checkpoint storage is down');
    let failSaves = true;
    const flaky = new Proxy(checkpoints, {
      get(target, property, receiver) {
        if (property === 'saveCheckpoint' && failSaves) return async () => Promise.reject(broken);
        return Reflect.get(target, property, receiver);
      },
    });
    const { totals, projector } = countsReadModel();
    const { store, realtime } = withRealtimeProjector(inner, { projector, checkpoints: flaky });
    await store.append('a', [counted(1)]);
    expect(realtime.status()).toMatchObject({ state: 'behind', lastError: broken });
    failSaves = false;
    // Without transactions delivery is at least once: the catch-up applies the event again.
    await new ProjectionRunner({ store: inner, checkpoints, projector, retry: fast }).catchUp();
    expect(totals.get('a')).toBe(2);
  });

  it('a racing writer of the same checkpoint does not stop it: it goes on from where the other got to', async () => {
    const inner = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const { totals, projector } = countsReadModel();
    const { store, realtime } = withRealtimeProjector(inner, { projector, checkpoints });
    await store.append('a', [counted(1)]);
    // Another writer claims event 2 (as a runner in another process would) and moves the checkpoint.
    const moved = await inner.append('a', [counted(2)]);
    await checkpoints.saveCheckpoint('counts', moved.lastPosition);
    const last = await store.append('a', [counted(3)]);
    expect(totals.get('a')).toBe(4);
    expect(realtime.status()).toMatchObject({
      state: 'live',
      checkpoint: last.lastPosition,
      lastError: undefined,
    });
  });

  it('detach() stops it; bad options are refused', async () => {
    const inner = createMemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const { totals, projector } = countsReadModel();
    const { store, realtime } = withRealtimeProjector(inner, { projector, checkpoints });
    realtime.detach();
    await store.append('a', [counted(1)]);
    expect(totals.size).toBe(0);
    expect(realtime.status().state).toBe('detached');
    expect(() => withRealtimeProjector(inner, { projector, checkpoints, batchSize: 0 })).toThrow(
      ValidationError,
    );
    const other = new MemoryCheckpointStore();
    expect(() =>
      withRealtimeProjector(inner, {
        projector,
        checkpoints,
        transactions: other as never,
      }),
    ).toThrow(/same store as checkpoints/);
  });
});
