import { iterateAll, iterateStream } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../src/index.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('iterateStream and iterateAll (core helpers, over the reference store)', () => {
  it('page through a stream in order, reading batchSize at a time', async () => {
    const store = createMemoryEventStore();
    await store.append(
      's',
      Array.from({ length: 25 }, (_, i) => ({ type: 't', data: i })),
    );
    const reads: number[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = async (id, options) => {
      const page = await readStream(id, options);
      reads.push(page.length);
      return page;
    };
    const events = await collect(iterateStream(store, 's', { batchSize: 10, fromVersion: 3 }));
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 23 }, (_, i) => i + 3));
    expect(reads).toEqual([10, 10, 3]);
  });

  it('stop at toVersion', async () => {
    const store = createMemoryEventStore();
    await store.append(
      's',
      Array.from({ length: 30 }, (_, i) => ({ type: 't', data: i })),
    );
    const events = await collect(iterateStream(store, 's', { batchSize: 7, toVersion: 20 }));
    expect(events.at(-1)?.version).toBe(20);
    expect(events).toHaveLength(20);
  });

  it('page through the global log after a position, filtered by type', async () => {
    const store = createMemoryEventStore();
    for (let i = 0; i < 30; i++) {
      await store.append(`s-${i % 3}`, [{ type: i % 2 === 0 ? 'even' : 'odd', data: i }]);
    }
    const events = await collect(iterateAll(store, { after: 4n, batchSize: 4, types: ['even'] }));
    expect(events.map((e) => e.data)).toEqual([4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
  });

  it('rejects a batch size below 1', async () => {
    const store = createMemoryEventStore();
    await expect(collect(iterateAll(store, { batchSize: 0 }))).rejects.toThrow(/batchSize/);
  });
});
