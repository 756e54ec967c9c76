import type { EventStore, ReadAllOptions, RecordedEvent } from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore } from '@strata/store-memory';
import { describe, expect, it, vi } from 'vitest';
import { defineProjector, ProjectionRunner } from '../src/index.js';

/**
 * The memory store, with `lastPosition()` (answered from the log, or left out) and a record of
 * where every type-filtered read started: what a store without a type index would scan from.
 */
function observedStore(options: { lastPosition: boolean }) {
  const inner = createMemoryEventStore();
  const filteredReadsAfter: bigint[] = [];
  const store: EventStore = {
    append: (...args) => inner.append(...args),
    readStream: (...args) => inner.readStream(...args),
    readStreams: (...args) => inner.readStreams(...args),
    streamVersion: (...args) => inner.streamVersion(...args),
    close: () => inner.close(),
    readAll(read?: ReadAllOptions): Promise<RecordedEvent[]> {
      if (read?.types !== undefined) filteredReadsAfter.push(read.after ?? 0n);
      return inner.readAll(read);
    },
    ...(options.lastPosition
      ? { lastPosition: async () => (await inner.readAll()).at(-1)?.position ?? 0n }
      : {}),
  };
  return { store, filteredReadsAfter };
}

async function appendOthers(store: EventStore, n: number): Promise<bigint> {
  let last = 0n;
  for (let i = 0; i < n; i++)
    last = (await store.append(`busy-${i % 7}`, [{ type: 'common', data: i }])).lastPosition;
  return last;
}

function rareRunner(store: EventStore, batchSize = 10) {
  const seen: unknown[] = [];
  const projector = defineProjector({
    name: 'rare',
    handlers: { rare: (data: unknown) => void seen.push(data) },
  });
  const checkpoints = new MemoryCheckpointStore();
  const runner = new ProjectionRunner({
    store,
    checkpoints,
    projector,
    batchSize,
    polling: { minMs: 1, maxMs: 5 },
  });
  return { runner, seen, checkpoints };
}

describe('a runner of rare types on a store with lastPosition()', () => {
  it('keeps its checkpoint at the last event of its types, where a realtime projector claims from', async () => {
    const { store } = observedStore({ lastPosition: true });
    const rare = await store.append('r', [{ type: 'rare', data: 1 }]);
    await appendOthers(store, 50);
    const { runner, seen, checkpoints } = rareRunner(store);
    expect(await runner.catchUp()).toBe(1);
    expect(seen).toEqual([1]);
    expect(await checkpoints.loadCheckpoint('rare')).toBe(rare.lastPosition);
    expect(runner.status().applied).toBe(rare.lastPosition);
  });

  it('when idle, scans each event of other types once, and saves nothing until an event of its types', async () => {
    const { store, filteredReadsAfter } = observedStore({ lastPosition: true });
    await store.append('r', [{ type: 'rare', data: 1 }]);
    const { runner, seen, checkpoints } = rareRunner(store);
    const save = vi.spyOn(checkpoints, 'saveCheckpoint');
    runner.start();
    await vi.waitFor(() => expect(seen).toEqual([1]));
    await vi.waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    const mark = filteredReadsAfter.length;
    const head = await appendOthers(store, 40);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const scans = filteredReadsAfter.slice(mark);
    // Each read starts where the one before ended: no event is scanned twice.
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.every((after, i) => i === 0 || after > scans[i - 1]!)).toBe(true);
    expect(save).toHaveBeenCalledTimes(1);
    // Nothing appended since: the head says so, and no filtered read runs at all.
    const idle = filteredReadsAfter.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(filteredReadsAfter.length).toBe(idle);
    await appendOthers(store, 5);
    await vi.waitFor(() => expect(filteredReadsAfter.length).toBeGreaterThan(idle));
    expect(filteredReadsAfter[idle]).toBe(head);
    // lag() counts from there too: nothing of its types lies behind, nothing is scanned again.
    const beforeLag = filteredReadsAfter.length;
    expect(await runner.lag()).toMatchObject({ events: 0, atLeast: false });
    expect(filteredReadsAfter.slice(beforeLag).every((after) => after >= head)).toBe(true);
    const second = await store.append('r', [{ type: 'rare', data: 2 }]);
    await vi.waitFor(() => expect(seen).toEqual([1, 2]));
    await runner.stop();
    expect(await checkpoints.loadCheckpoint('rare')).toBe(second.lastPosition);
  });

  it('takes a short page read ahead to its last event: no head was seen before it', async () => {
    const { store } = observedStore({ lastPosition: true });
    let last = 0n;
    for (let i = 0; i < 25; i++) last = (await store.append('r', [{ type: 'rare', data: i }])).lastPosition;
    await appendOthers(store, 5);
    const { runner, seen, checkpoints } = rareRunner(store, 10);
    expect(await runner.catchUp()).toBe(25);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(await checkpoints.loadCheckpoint('rare')).toBe(last);
  });
});
describe('a runner on a store without lastPosition()', () => {
  it('keeps its checkpoint at the last event it applied and reads on from there', async () => {
    const { store, filteredReadsAfter } = observedStore({ lastPosition: false });
    const rare = await store.append('r', [{ type: 'rare', data: 1 }]);
    await appendOthers(store, 20);
    const { runner, checkpoints } = rareRunner(store);
    await runner.catchUp();
    expect(await checkpoints.loadCheckpoint('rare')).toBe(rare.lastPosition);
    filteredReadsAfter.length = 0;
    await runner.catchUp();
    expect(filteredReadsAfter).toEqual([rare.lastPosition]);
  });
});
