import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CheckpointConflictError, CheckpointFencedError, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

describe('SqliteCheckpointStore (store.checkpoints)', () => {
  it('saves, overwrites, loads and deletes checkpoints as exact bigints', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    const { checkpoints } = store;
    expect(await checkpoints.loadCheckpoint('orders')).toBeUndefined();
    await checkpoints.saveCheckpoint('orders', 10n);
    await checkpoints.saveCheckpoint('orders', 2n ** 53n + 1n);
    await checkpoints.saveCheckpoint('invoices', 0n);
    expect(await checkpoints.loadCheckpoint('orders')).toBe(2n ** 53n + 1n);
    expect(await checkpoints.loadCheckpoint('invoices')).toBe(0n);

    const peer = createSqliteEventStore({ database: path });
    expect(await peer.checkpoints.loadCheckpoint('orders')).toBe(2n ** 53n + 1n);
    await checkpoints.deleteCheckpoint('orders');
    await checkpoints.deleteCheckpoint('orders');
    expect(await peer.checkpoints.loadCheckpoint('orders')).toBeUndefined();
    await store.close();
    await peer.close();
  });

  it('rejects bad names and positions', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    for (const position of [-1n, 2n ** 63n, 5 as unknown as bigint]) {
      await expect(store.checkpoints.saveCheckpoint('p', position)).rejects.toSatisfy(
        ValidationError.isInstance,
      );
    }
    await expect(store.checkpoints.loadCheckpoint('')).rejects.toSatisfy(ValidationError.isInstance);
    await store.close();
  });

  it('saves inside an onAppend transaction: the checkpoint commits and rolls back with the append', async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const { checkpoints } = store;
    await checkpoints.saveCheckpoint('inline', 0n, { fence: 1n });
    let failAfterSave = false;
    store.onAppend(({ db, events }) => {
      const last = events[events.length - 1]!;
      const previous = events[0]!.position - 1n;
      checkpoints.saveCheckpointInTransaction(db, 'inline', last.position, {
        expectedPosition: previous,
        fence: 1n,
      });
      if (failAfterSave) throw new Error('read model refused');
    });
    const first = await store.append('s', [{ type: 't', data: 1 }]);
    expect(await checkpoints.loadCheckpointState('inline')).toEqual({
      position: first.lastPosition,
      fence: 1n,
    });

    failAfterSave = true;
    await expect(store.append('s', [{ type: 't', data: 2 }])).rejects.toThrow('read model refused');
    expect(await checkpoints.loadCheckpoint('inline')).toBe(first.lastPosition);

    // A refused save throws inside the hook, so the append rolls back too.
    failAfterSave = false;
    await checkpoints.saveCheckpoint('inline', 99n);
    await expect(store.append('s', [{ type: 't', data: 3 }])).rejects.toSatisfy(
      CheckpointConflictError.isInstance,
    );
    expect(await store.streamVersion('s')).toBe(1);
    await checkpoints.saveCheckpoint('inline', first.lastPosition, { fence: 2n });
    await expect(store.append('s', [{ type: 't', data: 4 }])).rejects.toSatisfy(
      CheckpointFencedError.isInstance,
    );
    expect(await store.streamVersion('s')).toBe(1);
    await store.close();
  });

  it("saves inside a transaction of the caller's own connection, and a rollback undoes it", async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    await store.checkpoints.saveCheckpoint('own', 5n);
    const db = databases.raw(path);
    db.exec('BEGIN IMMEDIATE');
    store.checkpoints.saveCheckpointInTransaction(db, 'own', 6n, { expectedPosition: 5n });
    db.exec('ROLLBACK');
    expect(await store.checkpoints.loadCheckpoint('own')).toBe(5n);
    db.exec('BEGIN IMMEDIATE');
    store.checkpoints.saveCheckpointInTransaction(db, 'own', 6n, { expectedPosition: 5n });
    db.exec('COMMIT');
    expect(await store.checkpoints.loadCheckpoint('own')).toBe(6n);
    expect(() => store.checkpoints.saveCheckpointInTransaction(db, 'own', 7n)).toThrow(ValidationError);
    await store.close();
  });

  it('processes advancing one checkpoint by compare-and-set never both win a step', async () => {
    const path = databases.path();
    const setup = createSqliteEventStore({ database: path });
    await setup.checkpoints.saveCheckpoint('raced', 0n);
    await setup.close();
    const [racers, steps] = [3, 15];
    const script = fileURLToPath(new URL('./checkpoint-racer.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const children: ChildProcess[] = [];
    const ready: Promise<void>[] = [];
    const done: Promise<{ wins?: number; conflicts?: number; error?: string }>[] = [];
    for (let i = 0; i < racers; i++) {
      const child = fork(script, [path, String(steps)], { execArgv: ['--import', tsx], stdio: 'inherit' });
      children.push(child);
      ready.push(new Promise((resolve) => child.once('message', () => resolve())));
      done.push(
        new Promise((resolve, reject) => {
          child.once('error', reject);
          child.on('message', (message) => {
            if (message !== 'ready') resolve(message as { wins?: number });
          });
        }),
      );
    }
    await Promise.all(ready);
    for (const child of children) child.send('go');
    const results = await Promise.all(done);
    expect(results.map((result) => result.error)).toEqual(Array(racers).fill(undefined));
    // Every step some process won moved the checkpoint by exactly one: no two won the same step.
    const store = createSqliteEventStore({ database: path });
    expect(await store.checkpoints.loadCheckpoint('raced')).toBe(BigInt(racers * steps));
    await store.close();
  }, 60_000);
});
