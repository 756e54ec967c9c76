import type { RecordedEvent } from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore } from '@strata/store-memory';
import { describe, expect, it, vi } from 'vitest';
import { blueGreenRebuild, defineProjector, ProjectionRunner } from '../src/index.js';

const fast = { baseDelayMs: 0, maxDelayMs: 0 };
const polling = { minMs: 1, maxMs: 5 };

/** Two read-model versions in one "database": tables by name, and a pointer readers follow. */
function world() {
  const store = createMemoryEventStore();
  const checkpoints = new MemoryCheckpointStore();
  const tables = new Map<string, Map<string, number>>([['orders_v1', new Map()]]);
  const pointer = { current: 'orders_v1' };
  const runnerFor = (name: string, table: string, weight: number) =>
    new ProjectionRunner({
      store,
      checkpoints,
      retry: fast,
      polling,
      projector: defineProjector({
        name,
        handlers: {
          placed: (_data: unknown, event: RecordedEvent) => {
            const rows = tables.get(table)!;
            rows.set(event.streamId, (rows.get(event.streamId) ?? 0) + weight);
          },
        },
      }),
    });
  return { store, checkpoints, tables, pointer, runnerFor };
}

async function place(store: ReturnType<typeof createMemoryEventStore>, n: number, from = 0) {
  for (let i = from; i < from + n; i++) await store.append(`order-${i % 5}`, [{ type: 'placed', data: {} }]);
}

describe('blueGreenRebuild', () => {
  it('builds the new version beside the live one and swaps only once it has caught up; the old runner stops', async () => {
    const { store, tables, pointer, runnerFor } = world();
    await place(store, 30);
    const live = runnerFor('orders', 'orders_v1', 1);
    live.start();
    await vi.waitFor(() => expect(tables.get('orders_v1')!.get('order-0')).toBe(6));
    const next = runnerFor('orders@v2', 'orders_v2', 10);
    const swapSaw: Array<number | undefined> = [];
    const progress = await blueGreenRebuild({
      live,
      next,
      prepare: () => void tables.set('orders_v2', new Map()),
      swap: async () => {
        swapSaw.push(tables.get('orders_v2')!.get('order-0'));
        pointer.current = 'orders_v2';
      },
    });
    expect(swapSaw).toEqual([60]);
    expect(progress).toMatchObject({ eventsDone: 30, done: true });
    expect(live.status().state).toBe('stopped');
    expect(next.status().state).toBe('running');
    await place(store, 5, 30);
    await vi.waitFor(() => expect(tables.get(pointer.current)!.get('order-0')).toBe(70));
    expect(tables.get('orders_v1')!.get('order-0')).toBe(6);
    await next.stop();
  });

  it('a failure before the swap leaves the live one serving, and a failed swap starts it again', async () => {
    const { store, tables, pointer, runnerFor } = world();
    await place(store, 10);
    const live = runnerFor('orders', 'orders_v1', 1);
    live.start();
    const failing = runnerFor('orders@v2', 'orders_v2', 10);
    await expect(
      blueGreenRebuild({
        live,
        next: failing,
        prepare: () => {
          throw new Error('cannot create orders_v2');
        },
        swap: () => {
          pointer.current = 'orders_v2';
        },
      }),
    ).rejects.toThrow('cannot create orders_v2');
    expect(pointer.current).toBe('orders_v1');
    expect(live.status().state).toBe('running');
    expect(failing.status().state).toBe('stopped');

    const next = runnerFor('orders@v2', 'orders_v2', 10);
    await expect(
      blueGreenRebuild({
        live,
        next,
        prepare: () => void tables.set('orders_v2', new Map()),
        swap: () => {
          throw new Error('rename refused');
        },
      }),
    ).rejects.toThrow('rename refused');
    expect(live.status().state).toBe('running');
    expect(next.status().state).toBe('stopped');
    await place(store, 5, 10);
    await vi.waitFor(() => expect(tables.get('orders_v1')!.get('order-0')).toBe(3));
    await live.stop();
  });

  it("refuses a new version under the live one's name", async () => {
    const { runnerFor } = world();
    const live = runnerFor('orders', 'orders_v1', 1);
    const same = runnerFor('orders', 'orders_v2', 1);
    await expect(blueGreenRebuild({ live, next: same, prepare: () => {}, swap: () => {} })).rejects.toThrow(
      /name of its own/,
    );
  });
});
