import { ValidationError } from '@strata/core';
import { MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { pruneSnapshots, snapshotting } from '../src/index.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);

async function storeWith(streams: Record<string, Array<[version: number, ageDays: number]>>) {
  const store = new MemorySnapshotStore();
  for (const [streamId, snapshots] of Object.entries(streams)) {
    for (const [version, ageDays] of snapshots) {
      await store.saveSnapshot({
        streamId,
        version,
        stateVersion: 1,
        state: {},
        createdAt: new Date(NOW - ageDays * DAY),
      });
    }
  }
  return store;
}

async function versions(store: MemorySnapshotStore, streamId: string): Promise<number[]> {
  const found: number[] = [];
  for (
    let s = await store.loadSnapshot(streamId);
    s;
    s = await store.loadSnapshot(streamId, { maxVersion: s.version - 1 })
  ) {
    found.push(s.version);
  }
  return found;
}

describe('retention', () => {
  it('keeps the newest keepCount snapshots', async () => {
    const store = await storeWith({
      a: [
        [10, 5],
        [20, 4],
        [30, 3],
        [40, 2],
      ],
      b: [[7, 1]],
    });
    expect(await pruneSnapshots(store, { keepCount: 2 }, { streamIds: ['a', 'b'], now: NOW })).toEqual({
      streams: 2,
      deleted: 2,
    });
    expect(await versions(store, 'a')).toEqual([40, 30]);
    expect(await versions(store, 'b')).toEqual([7]);
  });

  it('deletes snapshots older than maxAgeDays, but never the newest', async () => {
    const store = await storeWith({
      a: [
        [10, 200],
        [20, 100],
        [30, 10],
      ],
      old: [
        [5, 400],
        [9, 365],
      ],
    });
    await pruneSnapshots(store, { maxAgeDays: 90 }, { now: NOW });
    expect(await versions(store, 'a')).toEqual([30]);
    expect(await versions(store, 'old')).toEqual([9]);
  });

  it('prunes every stream with a snapshot, page by page, when no streams are named', async () => {
    const streams = Object.fromEntries(
      Array.from({ length: 23 }, (_, i): [string, Array<[number, number]>] => [
        `s-${i}`,
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
      ]),
    );
    const store = await storeWith(streams);
    expect(await pruneSnapshots(store, { keepCount: 1 }, { pageSize: 5, now: NOW })).toEqual({
      streams: 23,
      deleted: 46,
    });
    for (const streamId of Object.keys(streams)) expect(await versions(store, streamId)).toEqual([3]);
  });

  it('applies both rules together', async () => {
    const store = await storeWith({
      a: [
        [1, 50],
        [2, 40],
        [3, 30],
        [4, 20],
        [5, 10],
        [6, 1],
      ],
    });
    await pruneSnapshots(store, { keepCount: 5, maxAgeDays: 35 }, { streamIds: ['a'], now: NOW });
    expect(await versions(store, 'a')).toEqual([6, 5, 4, 3]);
  });

  it('is a no-op for streams without snapshots, and rejects empty rules', async () => {
    const store = await storeWith({});
    expect(await pruneSnapshots(store, { keepCount: 1 }, { streamIds: ['none'] })).toEqual({
      streams: 1,
      deleted: 0,
    });
    await expect(pruneSnapshots(store, {})).rejects.toThrow(ValidationError);
    await expect(pruneSnapshots(store, { keepCount: 0 })).rejects.toThrow(ValidationError);
  });
});

describe('snapshotter.prune', () => {
  it('uses the rules given to snapshotting() and its clock', async () => {
    const store = await storeWith({
      a: [
        [1, 10],
        [2, 5],
        [3, 0],
      ],
    });
    const snapshots = snapshotting({
      store,
      stateVersion: 1,
      retention: { maxAgeDays: 7 },
      clock: () => NOW,
    });
    expect(await snapshots.prune()).toEqual({ streams: 1, deleted: 1 });
    expect(await versions(store, 'a')).toEqual([3, 2]);
    await expect(snapshotting({ store, stateVersion: 1 }).prune()).rejects.toThrow(ValidationError);
  });
});
