import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointConflictError,
  type EventRewrite,
  type EventStore,
  type RecordedEvent,
  SerializationError,
  supportsEventRewrite,
  UnsupportedOperationError,
  ValidationError,
} from '@strata/core';
import { MemoryCheckpointStore, MemoryEventStore } from '@strata/store-memory';
import { createSqliteEventStore, type SqliteEventStore } from '@strata/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteToCurrent } from '../src/event-migration-plan.js';
import {
  DEFAULT_MIGRATION_CHECKPOINT,
  defineUpcasters,
  type MigrationProgress,
  migrateEvents,
  withUpcasting,
} from '../src/index.js';
import { migrationChain, writeHistory } from './migration-chain.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** What the migration must leave: every event as the lazy wrapper reads it. */
async function lazilyUpcast(store: EventStore): Promise<RecordedEvent[]> {
  return withUpcasting(store, migrationChain).readAll();
}

const stores: [
  string,
  () => { store: EventStore; checkpoints: MemoryCheckpointStore | SqliteEventStore['checkpoints'] },
][] = [
  ['MemoryEventStore', () => ({ store: new MemoryEventStore(), checkpoints: new MemoryCheckpointStore() })],
  [
    'SqliteEventStore',
    () => {
      const store = createSqliteEventStore({ database: join(dir, `${files++}.db`), synchronous: 'NORMAL' });
      return { store, checkpoints: store.checkpoints };
    },
  ],
];

describe.each(stores)('migrateEvents on %s', (_name, open) => {
  it('rewrites every old event to what lazy upcasting reads, keeping ids, versions, positions and times', async () => {
    const { store, checkpoints } = open();
    await writeHistory(store, 'user', 95);
    const expected = await lazilyUpcast(store);
    const report = await migrateEvents(store, migrationChain, { checkpoints, batchSize: 7 });
    expect(await store.readAll()).toEqual(expected);
    // 19 events of each of the three old shapes; the current ones and `audit.note` are left alone.
    expect(report).toMatchObject({
      dryRun: false,
      resumedAfter: undefined,
      examined: 86,
      rewritten: 57,
      skipped: 0,
    });
    expect(report.changes).toEqual([
      { fromType: 'UserCreated', fromVersion: 1, toType: 'user.registered', toVersion: 3, count: 19 },
      { fromType: 'user.registered', fromVersion: 1, toType: 'user.registered', toVersion: 3, count: 19 },
      { fromType: 'user.registered', fromVersion: 2, toType: 'user.registered', toVersion: 3, count: 19 },
    ]);
    expect(
      await checkpoints.loadCheckpoint(DEFAULT_MIGRATION_CHECKPOINT),
      'deleted once done',
    ).toBeUndefined();
    const again = await migrateEvents(store, migrationChain, { checkpoints });
    expect(again).toMatchObject({ examined: 86, rewritten: 0, changes: [] });
    await store.close();
  });

  it('a dry run reports what would change and writes nothing, the checkpoint included', async () => {
    const { store, checkpoints } = open();
    await writeHistory(store, 'user', 30);
    const before = await store.readAll();
    const report = await migrateEvents(store, migrationChain, { checkpoints, dryRun: true, batchSize: 4 });
    expect(report).toMatchObject({ dryRun: true, examined: 27, rewritten: 18 });
    expect(report.changes.map((c) => c.count)).toEqual([6, 6, 6]);
    expect(await store.readAll()).toEqual(before);
    expect(await checkpoints.loadCheckpoint(DEFAULT_MIGRATION_CHECKPOINT)).toBeUndefined();
    await store.close();
  });

  it('resumes after its checkpoint, and reports progress with what is left', async () => {
    const { store, checkpoints } = open();
    await writeHistory(store, 'user', 40);
    const all = await store.readAll();
    const name = 'resume-test';
    await checkpoints.saveCheckpoint(name, all[19]!.position);
    const { examined: total } = await migrateEvents(store, migrationChain, {
      checkpoints,
      checkpointName: name,
      dryRun: true,
    });
    const progress: MigrationProgress[] = [];
    const report = await migrateEvents(store, migrationChain, {
      checkpoints,
      checkpointName: name,
      batchSize: 5,
      total,
      onProgress: (p) => progress.push(p),
    });
    expect(report.resumedAfter).toBe(all[19]!.position);
    expect(report.examined).toBe(total);
    const after = await store.readAll();
    expect(after.slice(0, 20), 'before the checkpoint: untouched').toEqual(all.slice(0, 20));
    expect(
      after
        .slice(20)
        .filter((e) => e.type === 'user.registered')
        .every((e) => e.schemaVersion === 3),
    ).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([5, 10, 15, total].filter((n, i, a) => a.indexOf(n) === i));
    expect(progress.at(-1)).toMatchObject({ left: 0, rewritten: report.rewritten });
    expect(progress.every((p) => p.perSecond >= 0 && p.left === total - p.done)).toBe(true);
    // The last event read is the last of a type the chain knows: `audit.note` is never read.
    const lastKnown = after.filter((e) => e.type !== 'audit.note').at(-1)!;
    expect(progress.at(-1)!.position).toBe(lastKnown.position);
    await store.close();
  });
});

describe('migrateEvents refuses what it cannot do safely', () => {
  it('refuses the withUpcasting wrapper, whose reads hide what is stored', async () => {
    const store = new MemoryEventStore();
    const wrapped = withUpcasting(store, migrationChain);
    expect(supportsEventRewrite(wrapped)).toBe(false);
    await expect(
      migrateEvents(wrapped, migrationChain, { checkpoints: new MemoryCheckpointStore(), dryRun: true }),
    ).rejects.toSatisfy((error) => ValidationError.isInstance(error) && error.path === 'store');
  });

  it('needs the EventRewriter capability to write, not for a dry run', async () => {
    const memory = new MemoryEventStore();
    await writeHistory(memory, 'user', 10);
    // The memory store's calls without its rewriteEvent, as a store without the capability has them.
    const store: EventStore = {
      append: memory.append.bind(memory),
      readStream: memory.readStream.bind(memory),
      readStreams: memory.readStreams.bind(memory),
      readAll: memory.readAll.bind(memory),
      streamVersion: memory.streamVersion.bind(memory),
      close: memory.close.bind(memory),
    };
    const checkpoints = new MemoryCheckpointStore();
    await expect(migrateEvents(store, migrationChain, { checkpoints })).rejects.toSatisfy(
      UnsupportedOperationError.isInstance,
    );
    expect(await migrateEvents(store, migrationChain, { checkpoints, dryRun: true })).toMatchObject({
      rewritten: 6,
    });
  });

  it('refuses bad options before reading anything', async () => {
    const store = new MemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    const bad = [
      [{ checkpoints: {} }, 'options.checkpoints'],
      [{ checkpoints, batchSize: 0 }, 'options.batchSize'],
      [{ checkpoints, batchSize: 10_001 }, 'options.batchSize'],
      [{ checkpoints, checkpointName: '' }, 'options.checkpointName'],
      [{ checkpoints, total: -1 }, 'options.total'],
      [{ checkpoints, concurrency: 0 }, 'options.concurrency'],
      [{ checkpoints, concurrency: 65 }, 'options.concurrency'],
      [{ checkpoints, dryRun: 'yes' }, 'options.dryRun'],
    ] as const;
    for (const [options, path] of bad) {
      await expect(migrateEvents(store, migrationChain, options as never)).rejects.toSatisfy(
        (error) => ValidationError.isInstance(error) && error.path === path,
      );
    }
  });

  it('stops at an event no chain takes to a current version, after the last batch it finished', async () => {
    const store = new MemoryEventStore();
    const checkpoints = new MemoryCheckpointStore();
    await writeHistory(store, 'user', 20);
    await store.append('newer', [{ type: 'user.registered', schemaVersion: 4, data: {} }]);
    await writeHistory(store, 'later', 20);
    await expect(migrateEvents(store, migrationChain, { checkpoints, batchSize: 6 })).rejects.toSatisfy(
      SerializationError.isInstance,
    );
    const checkpoint = await checkpoints.loadCheckpoint(DEFAULT_MIGRATION_CHECKPOINT);
    expect(checkpoint).toBeDefined();
    const [newer] = await store.readStream('newer');
    expect(checkpoint! < newer!.position).toBe(true);
    // Rewrites of the failing batch that were in flight may finish; no later batch is read.
    expect((await store.readStream('later-1'))[0]).toMatchObject({ type: 'UserCreated', schemaVersion: 1 });
  });

  it('an upcaster that throws stops the run with a SerializationError naming the event', async () => {
    const store = new MemoryEventStore();
    await store.append('broken', [{ type: 'old', data: {} }]);
    const chain = defineUpcasters({ new: 2 }, [
      { type: 'new', fromVersion: 1, upcast: () => ({}) },
      {
        type: 'old',
        fromVersion: 1,
        toType: 'new',
        toVersion: 1,
        upcast: () => {
          throw new Error('bad data');
        },
      },
    ]);
    const error = await migrateEvents(store, chain, { checkpoints: new MemoryCheckpointStore() }).catch(
      (e) => e,
    );
    expect(SerializationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('stream "broken"');
    expect((await store.readStream('broken'))[0]).toMatchObject({ type: 'old', schemaVersion: 1 });
  });
});

describe('two migrations at once', () => {
  it('under two checkpoint names: every event is rewritten once, the other run skips it', async () => {
    const store = new MemoryEventStore();
    await writeHistory(store, 'user', 200);
    const expected = await lazilyUpcast(store);
    const checkpoints = new MemoryCheckpointStore();
    const [a, b] = await Promise.all([
      migrateEvents(store, migrationChain, { checkpoints, checkpointName: 'a', batchSize: 3 }),
      migrateEvents(store, migrationChain, { checkpoints, checkpointName: 'b', batchSize: 3 }),
    ]);
    expect(await store.readAll()).toEqual(expected);
    expect(a.rewritten + b.rewritten).toBe(120);
    expect(a.rewritten + a.skipped + b.rewritten + b.skipped).toBeGreaterThanOrEqual(120);
  });

  it('under one checkpoint name: the second run to save fails with CheckpointConflictError', async () => {
    const store = new MemoryEventStore();
    await writeHistory(store, 'user', 100);
    const checkpoints = new MemoryCheckpointStore();
    const outcomes = await Promise.allSettled([
      migrateEvents(store, migrationChain, { checkpoints, batchSize: 5 }),
      migrateEvents(store, migrationChain, { checkpoints, batchSize: 5 }),
    ]);
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(CheckpointConflictError.isInstance((failed[0] as PromiseRejectedResult).reason)).toBe(true);
  });
});

describe('migrateEvents on a store with the batch form (rewriteEvents)', () => {
  /** The memory store, counting its rewrite calls; `beforeBatch` runs before each batch reaches it. */
  function countingStore(beforeBatch: (store: MemoryEventStore) => Promise<void> = async () => {}) {
    const memory = new MemoryEventStore();
    const calls = { batches: [] as number[], singles: 0, refusedBatches: [] as RecordedEvent[][] };
    const store = Object.assign(Object.create(memory) as MemoryEventStore, {
      async rewriteEvent(rewrite: EventRewrite) {
        calls.singles++;
        return memory.rewriteEvent(rewrite);
      },
      async rewriteEvents(rewrites: EventRewrite[]) {
        calls.batches.push(rewrites.length);
        await beforeBatch(memory);
        try {
          return await memory.rewriteEvents(rewrites);
        } catch (error) {
          // What the store holds right after the refusal: nothing of the batch may be written.
          calls.refusedBatches.push(await memory.readAll());
          throw error;
        }
      },
    });
    return { memory, store, calls };
  }

  it('commits each batch with one rewriteEvents call, never one rewrite at a time', async () => {
    const { memory, store, calls } = countingStore();
    await writeHistory(memory, 'user', 100);
    const expected = await lazilyUpcast(memory);
    const report = await migrateEvents(store, migrationChain, {
      checkpoints: new MemoryCheckpointStore(),
      batchSize: 25,
    });
    expect(report.rewritten).toBe(60);
    expect(calls.singles).toBe(0);
    // 80 events of known types in pages of 25, 25, 25 and 5: one commit per page.
    expect(calls.batches).toHaveLength(4);
    expect(calls.batches.reduce((sum, n) => sum + n, 0)).toBe(60);
    expect(await memory.readAll()).toEqual(expected);
  });

  it('a batch with an event another writer rewrote first is written not at all, then decided again', async () => {
    let raced = false;
    const { memory, store, calls } = countingStore(async (inner) => {
      if (raced) return;
      raced = true;
      // Another migration rewrites the second event of the first batch while this one is at it.
      const [, second] = await inner.readAll({ limit: 2, types: ['UserCreated', 'user.registered'] });
      await inner.rewriteEvent(rewriteToCurrent(migrationChain, second!) as EventRewrite);
    });
    await writeHistory(memory, 'user', 10);
    const before = await memory.readAll();
    const expected = await lazilyUpcast(memory);
    const report = await migrateEvents(store, migrationChain, { checkpoints: new MemoryCheckpointStore() });
    // The refused batch wrote nothing: only the other writer's event had changed.
    const refused = calls.refusedBatches[0]!;
    expect(refused.filter((e, i) => !sameStored(e, before[i]!)).map((e) => e.version)).toEqual([2]);
    expect(calls.batches).toEqual([6, 5]);
    expect(report).toMatchObject({ rewritten: 5, skipped: 1 });
    expect(await memory.readAll()).toEqual(expected);
  });
});

function sameStored(a: RecordedEvent, b: RecordedEvent): boolean {
  return (
    a.type === b.type &&
    a.schemaVersion === b.schemaVersion &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}
