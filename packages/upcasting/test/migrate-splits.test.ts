import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointStore, EventStore } from '@strata/core';
import { MemoryCheckpointStore, MemoryEventStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateEvents, withUpcasting } from '../src/index.js';
import { splitChain, writeSplitHistory } from './split-chain.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-migrate-splits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const stores: [string, () => { store: EventStore; checkpoints: CheckpointStore }][] = [
  ['MemoryEventStore', () => ({ store: new MemoryEventStore(), checkpoints: new MemoryCheckpointStore() })],
  [
    'SqliteEventStore',
    () => {
      const store = createSqliteEventStore({ database: join(dir, `${files++}.db`), synchronous: 'NORMAL' });
      return { store, checkpoints: store.checkpoints };
    },
  ],
];

const splits = [
  {
    fromType: 'order.placed',
    fromVersion: 1,
    into: [
      { type: 'order.placed', schemaVersion: 3 },
      { type: 'order.shipping-set', schemaVersion: 1 },
    ],
    count: 1,
  },
  {
    fromType: 'OrderWithNote',
    fromVersion: 1,
    into: [
      { type: 'order.placed', schemaVersion: 3 },
      { type: 'order.shipping-set', schemaVersion: 1 },
      { type: 'order.note-added', schemaVersion: 1 },
    ],
    count: 1,
  },
];

describe.each(stores)('migrateEvents and split events on %s', (_name, open) => {
  it('leaves split events as stored, reports them in the dry run and the result, and rewrites the rest', async () => {
    const { store, checkpoints } = open();
    const streamId = 'order-o-1';
    await writeSplitHistory(store, streamId);
    await store.append(streamId, [{ type: 'order.cancelled', data: {} }]); // v1: rewritten to v2
    const before = await store.readStream(streamId);
    const lazily = await withUpcasting(store, splitChain).readAll();

    const plan = await migrateEvents(store, splitChain, { checkpoints, dryRun: true, batchSize: 2 });
    expect(plan).toMatchObject({ dryRun: true, examined: 5, rewritten: 1, leftSplit: 2, splits });
    expect(plan.changes).toEqual([
      { fromType: 'order.cancelled', fromVersion: 1, toType: 'order.cancelled', toVersion: 2, count: 1 },
    ]);
    expect(await store.readStream(streamId)).toEqual(before);

    const report = await migrateEvents(store, splitChain, { checkpoints, batchSize: 2 });
    expect(report).toMatchObject({
      dryRun: false,
      examined: 5,
      rewritten: 1,
      skipped: 0,
      leftSplit: 2,
      splits,
    });
    const after = await store.readStream(streamId);
    // The split events are exactly as stored; the cancellation is current now, same id and position.
    expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
    expect(after[4]).toEqual({ ...before[4], schemaVersion: 2, data: { reason: 'unknown' } });
    // Read through the wrapper, nothing changed: the split events still split, lazily, on every read.
    expect(await withUpcasting(store, splitChain).readAll()).toEqual(lazily);

    // Run again: nothing left to rewrite, the split events reported again, never an error.
    const again = await migrateEvents(store, splitChain, { checkpoints });
    expect(again).toMatchObject({ examined: 5, rewritten: 0, leftSplit: 2, splits, changes: [] });
    await store.close();
  });
});
