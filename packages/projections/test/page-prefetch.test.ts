import type { RecordedEvent } from '@strata/core';
import { createMemoryEventStore, MemoryCheckpointStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { defineProjector, ProjectionRunner } from '../src/index.js';
import { PagePrefetch } from '../src/page-prefetch.js';

const page = (...positions: number[]) => positions.map((p) => ({ position: BigInt(p) }) as RecordedEvent);

describe('PagePrefetch', () => {
  it('hands out a page read ahead only for the position it was read after, once', async () => {
    const reads: bigint[] = [];
    const pages = new PagePrefetch(async (after) => {
      reads.push(after);
      return page(Number(after) + 1);
    });
    pages.readAhead(2n);
    expect(await pages.next(2n)).toEqual(page(3));
    expect(await pages.next(2n)).toEqual(page(3));
    expect(reads).toEqual([2n, 2n]);
    pages.readAhead(5n);
    // A step that reads elsewhere (a retry, a conflict) gets a fresh read, and the page is dropped.
    expect(await pages.next(4n)).toEqual(page(5));
    expect(await pages.next(5n)).toEqual(page(6));
    expect(reads).toEqual([2n, 2n, 5n, 4n, 5n]);
    pages.readAhead(7n);
    pages.clear();
    await pages.next(7n);
    expect(reads).toEqual([2n, 2n, 5n, 4n, 5n, 7n, 7n]);
  });

  it('keeps a failed read ahead to itself unless its page is taken', async () => {
    let fail = true;
    const pages = new PagePrefetch(async () => {
      if (fail) throw new Error('connection lost');
      return page(1);
    });
    pages.readAhead(0n);
    await expect(pages.next(0n)).rejects.toThrow('connection lost');
    pages.readAhead(0n);
    fail = false;
    expect(await pages.next(1n)).toEqual(page(1)); // the failed page was dropped, unhandled by nobody
  });
});

describe('a runner reading ahead', () => {
  it('reads the next page while it applies the current one, and still applies each event once, in order', async () => {
    const store = createMemoryEventStore();
    for (let i = 0; i < 7; i++) await store.append(`s-${i}`, [{ type: 'counted', data: { i } }]);
    const readsStarted: bigint[] = [];
    const readAll = store.readAll.bind(store);
    store.readAll = (options) => {
      readsStarted.push(options?.after ?? 0n);
      return readAll(options);
    };
    const applied: bigint[] = [];
    const readsWhileApplying: number[] = [];
    const projector = defineProjector({
      name: 'ahead',
      eventTypes: ['counted'],
      handleBatch: async (events) => {
        readsWhileApplying.push(readsStarted.length);
        applied.push(...events.map((e) => e.position));
      },
    });
    const runner = new ProjectionRunner({
      store,
      checkpoints: new MemoryCheckpointStore(),
      projector,
      batchSize: 3,
    });
    expect(await runner.catchUp()).toBe(7);
    expect(applied).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    // Pages of 3, 3 and 1: while a full page is applied, the read after it has started already.
    expect(readsStarted).toEqual([0n, 3n, 6n]);
    expect(readsWhileApplying).toEqual([2, 3, 3]);
  });
});
