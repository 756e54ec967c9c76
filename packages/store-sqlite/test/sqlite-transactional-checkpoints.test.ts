import { CheckpointConflictError, ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore, type SqliteDatabase } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

/** A store over a file, with a read-model table in the same database. */
function setup() {
  const path = databases.path();
  const store = createSqliteEventStore({ database: path });
  const raw = databases.raw(path);
  const notes = () => raw.prepare('SELECT text FROM notes ORDER BY text').pluck().all() as string[];
  const note = (tx: SqliteDatabase, text: string) => {
    tx.prepare('INSERT INTO notes (text) VALUES (?)').run(text);
  };
  return {
    store,
    notes,
    note,
    ready: () =>
      store.checkpoints.runInTransaction(
        (tx) => void tx.exec('CREATE TABLE IF NOT EXISTS notes (text TEXT)'),
      ),
  };
}

describe('store.checkpoints as TransactionalCheckpoints', () => {
  it('commits the work and the checkpoint together, and returns what the work returns', async () => {
    const { store, notes, note, ready } = setup();
    await ready();
    const result = store.checkpoints.runInTransaction((tx) => {
      note(tx, 'a');
      store.checkpoints.saveCheckpointInTransaction(tx, 'p', 5n, { expectedPosition: null });
      expect(store.checkpoints.loadCheckpointInTransaction(tx, 'p')).toBe(5n);
      return 'done';
    });
    expect(await result).toBe('done');
    expect(notes()).toEqual(['a']);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(5n);
    await store.close();
  });

  it('rolls both back when the work throws, which reaches the caller unchanged', async () => {
    const { store, notes, note, ready } = setup();
    await ready();
    const failure = new Error('read model refused it');
    await expect(
      store.checkpoints.runInTransaction((tx) => {
        note(tx, 'a');
        store.checkpoints.saveCheckpointInTransaction(tx, 'p', 5n);
        throw failure;
      }),
    ).rejects.toBe(failure);
    // A refused save rolls back what came before it too, once the work throws it on.
    await store.checkpoints.saveCheckpoint('p', 1n);
    await expect(
      store.checkpoints.runInTransaction((tx) => {
        note(tx, 'b');
        store.checkpoints.saveCheckpointInTransaction(tx, 'p', 9n, { expectedPosition: 0n });
      }),
    ).rejects.toSatisfy(CheckpointConflictError.isInstance);
    expect(notes()).toEqual([]);
    expect(await store.checkpoints.loadCheckpoint('p')).toBe(1n);
    await store.close();
  });

  it('refuses work that returns a Promise, and rolls back what it wrote before', async () => {
    const { store, notes, note, ready } = setup();
    await ready();
    await expect(
      store.checkpoints.runInTransaction(async (tx) => {
        note(tx, 'a');
      }),
    ).rejects.toThrow(/SQLite transactions are synchronous/);
    expect(notes()).toEqual([]);
    await expect(store.checkpoints.runInTransaction('no' as never)).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    expect(() =>
      store.checkpoints.loadCheckpointInTransaction({ inTransaction: false } as never, 'p'),
    ).toThrow(ValidationError);
    await store.close();
  });
});

describe('onAppendTransaction', () => {
  it("runs in the append's transaction and knows the position before it, of any type or of some", async () => {
    const { store, notes, note, ready } = setup();
    await ready();
    const seen: Array<[bigint, bigint, bigint]> = [];
    const remove = store.onAppendTransaction(({ tx, events, precedingPosition }) => {
      expect(tx.inTransaction).toBe(true);
      note(tx, events[0]!.type);
      seen.push([events[0]!.position, precedingPosition() as bigint, precedingPosition(['a']) as bigint]);
    });
    const first = await store.append('s', [{ type: 'a', data: 1 }]);
    const second = await store.append('s', [{ type: 'b', data: 2 }]);
    const third = await store.append('t', [{ type: 'c', data: 3 }]);
    expect(seen).toEqual([
      [first.lastPosition, 0n, 0n],
      [second.lastPosition, first.lastPosition, first.lastPosition],
      [third.lastPosition, second.lastPosition, first.lastPosition],
    ]);
    expect(notes()).toEqual(['a', 'b', 'c']);

    remove();
    const failure = new Error('hook failed');
    store.onAppendTransaction(({ tx }) => {
      note(tx, 'never');
      throw failure;
    });
    await expect(store.append('s', [{ type: 'a', data: 4 }])).rejects.toBe(failure);
    expect(await store.streamVersion('s')).toBe(2);
    expect(notes()).toEqual(['a', 'b', 'c']);
    await store.close();
  });
});
