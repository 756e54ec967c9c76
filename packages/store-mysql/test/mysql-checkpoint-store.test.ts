import { randomUUID } from 'node:crypto';
import { CheckpointConflictError, CheckpointFencedError, ValidationError } from '@strata/core';
import { createPool } from 'mysql2/promise';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('MysqlCheckpointStore (store.checkpoints)', () => {
  const tables = useTestTables();

  it('loads undefined, saves, overwrites and deletes; positions are exact bigints', async () => {
    const { checkpoints } = tables.open();
    const name = `projection-${randomUUID()}`;
    expect(await checkpoints.loadCheckpoint(name)).toBeUndefined();
    await checkpoints.saveCheckpoint(name, 42n);
    expect(await checkpoints.loadCheckpoint(name)).toBe(42n);
    const huge = 2n ** 63n - 1n;
    await checkpoints.saveCheckpoint(name, huge);
    expect(await checkpoints.loadCheckpoint(name)).toBe(huge);
    await checkpoints.deleteCheckpoint(name);
    expect(await checkpoints.loadCheckpoint(name)).toBeUndefined();
  });

  it('another instance sees the same checkpoints', async () => {
    const name = `shared-${randomUUID()}`;
    await tables.open().checkpoints.saveCheckpoint(name, 7n);
    expect(await tables.open().checkpoints.loadCheckpoint(name)).toBe(7n);
  });

  it('rejects bad positions and names with ValidationError', async () => {
    const { checkpoints } = tables.open();
    await expect(checkpoints.saveCheckpoint('c', -1n)).rejects.toThrow(ValidationError);
    await expect(checkpoints.saveCheckpoint('c', 2n ** 63n)).rejects.toThrow(ValidationError);
    await expect(checkpoints.saveCheckpoint('c', 1 as unknown as bigint)).rejects.toThrow(ValidationError);
    await expect(checkpoints.loadCheckpoint('')).rejects.toThrow(ValidationError);
  });

  it('a hook moves a checkpoint in the append transaction: it commits and rolls back with the events', async () => {
    const store = tables.open();
    const { checkpoints } = store;
    const name = `inline-${randomUUID()}`;
    // What the projection believes its checkpoint is; it moves only when an append commits.
    let checkpoint = 0n;
    await checkpoints.saveCheckpoint(name, checkpoint, { expectedPosition: null, fence: 1n });
    let failAfterSave = false;
    store.onAppend(async ({ connection, events }) => {
      await checkpoints.saveCheckpointInTransaction(connection, name, events.at(-1)!.position, {
        expectedPosition: checkpoint,
        fence: 1n,
      });
      if (failAfterSave) throw new Error('read model refused');
    });
    const stream = `cp-${randomUUID()}`;
    const first = await store.append(stream, [{ type: 't', data: 1 }]);
    checkpoint = first.lastPosition;
    expect(await checkpoints.loadCheckpointState(name)).toEqual({ position: first.lastPosition, fence: 1n });

    failAfterSave = true;
    await expect(store.append(stream, [{ type: 't', data: 2 }])).rejects.toThrow('read model refused');
    expect(await checkpoints.loadCheckpoint(name)).toBe(first.lastPosition);

    // A refused save rejects inside the hook, so the append rolls back too.
    failAfterSave = false;
    await checkpoints.saveCheckpoint(name, first.lastPosition, { fence: 2n });
    await expect(store.append(stream, [{ type: 't', data: 3 }])).rejects.toSatisfy(
      CheckpointFencedError.isInstance,
    );
    expect(await store.streamVersion(stream)).toBe(1);
  });

  it("saves inside a transaction on the caller's own connection, and a rollback undoes it", async () => {
    const { checkpoints } = tables.open();
    const name = `own-${randomUUID()}`;
    await checkpoints.saveCheckpoint(name, 5n);
    const connection = await tables.raw();
    const outcome = (save: Promise<void>) =>
      save.then(
        () => 'saved',
        (error: unknown) => (CheckpointConflictError.isInstance(error) ? 'conflict' : String(error)),
      );
    await connection.query('START TRANSACTION');
    await checkpoints.saveCheckpointInTransaction(connection, name, 6n, { expectedPosition: 5n });
    // Another connection racing the same save waits for the row lock, then re-checks.
    const racer = outcome(checkpoints.saveCheckpoint(name, 7n, { expectedPosition: 5n }));
    await connection.query('ROLLBACK');
    expect(await racer).toBe('saved');
    expect(await checkpoints.loadCheckpoint(name)).toBe(7n);

    await connection.query('START TRANSACTION');
    await checkpoints.saveCheckpointInTransaction(connection, name, 8n, { expectedPosition: 7n });
    const loser = outcome(checkpoints.saveCheckpoint(name, 9n, { expectedPosition: 7n }));
    await connection.query('COMMIT');
    expect(await loser).toBe('conflict');
    expect(await checkpoints.loadCheckpoint(name)).toBe(8n);
  });

  it('a save that writes what is already there succeeds on a pool that counts changed rows', async () => {
    // Without CLIENT_FOUND_ROWS an UPDATE to the same values reports 0 affected rows.
    const pool = createPool({ uri: MYSQL_URL, flags: ['-FOUND_ROWS'], supportBigNumbers: true });
    onTestFinished(() => pool.end());
    const { checkpoints } = tables.open({ connection: pool });
    // The same millisecond each time, so updated_at does not change either.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-02T03:04:05.678Z') });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const name = `same-${randomUUID()}`;
    await checkpoints.saveCheckpoint(name, 3n, { fence: 2n });
    for (let i = 0; i < 5; i++)
      await checkpoints.saveCheckpoint(name, 3n, { expectedPosition: 3n, fence: 2n });
    expect(await checkpoints.loadCheckpointState(name)).toEqual({ position: 3n, fence: 2n });
  });
});
