import { CheckpointConflictError, CheckpointFencedError, ValidationError } from '@strata/core';
import { expect, it } from 'vitest';
import { adminPool, describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('PostgresCheckpointStore (store.checkpoints)', () => {
  const env = storeInFreshSchema();
  const { schema } = env;

  it('saves, overwrites, loads and deletes checkpoints as exact bigints, shared by every store', async () => {
    const { checkpoints } = env.store;
    expect(await checkpoints.loadCheckpoint('orders')).toBeUndefined();
    await checkpoints.saveCheckpoint('orders', 10n);
    await checkpoints.saveCheckpoint('orders', 2n ** 63n - 1n);
    await checkpoints.saveCheckpoint('invoices', 0n);
    expect(await checkpoints.loadCheckpoint('orders')).toBe(2n ** 63n - 1n);
    expect(await checkpoints.loadCheckpoint('invoices')).toBe(0n);

    const peer = await openStore(schema);
    expect(await peer.checkpoints.loadCheckpoint('orders')).toBe(2n ** 63n - 1n);
    await checkpoints.deleteCheckpoint('orders');
    await checkpoints.deleteCheckpoint('orders');
    expect(await peer.checkpoints.loadCheckpoint('orders')).toBeUndefined();
    await peer.close();
  });

  it('a hook moves a checkpoint in the append transaction: it commits and rolls back with the events', async () => {
    const { checkpoints } = env.store;
    const name = `inline-${schema}`;
    // What the projection believes its checkpoint is; it moves only when an append commits.
    let checkpoint = 0n;
    await checkpoints.saveCheckpoint(name, checkpoint, { expectedPosition: null, fence: 1n });
    let failAfterSave = false;
    const remove = env.store.onAppend(async ({ client, events }) => {
      await checkpoints.saveCheckpointInTransaction(client, name, events.at(-1)!.position, {
        expectedPosition: checkpoint,
        fence: 1n,
      });
      if (failAfterSave) throw new Error('read model refused');
    });
    try {
      const stream = `cp-${schema}`;
      const first = await env.store.append(stream, [{ type: 't', data: 1 }]);
      checkpoint = first.lastPosition;
      expect(await checkpoints.loadCheckpointState(name)).toEqual({
        position: first.lastPosition,
        fence: 1n,
      });

      failAfterSave = true;
      await expect(env.store.append(stream, [{ type: 't', data: 2 }])).rejects.toThrow('read model refused');
      expect(await checkpoints.loadCheckpoint(name)).toBe(first.lastPosition);

      // A refused save rejects inside the hook, so the append rolls back too.
      failAfterSave = false;
      await checkpoints.saveCheckpoint(name, first.lastPosition, { fence: 2n });
      await expect(env.store.append(stream, [{ type: 't', data: 3 }])).rejects.toSatisfy(
        CheckpointFencedError.isInstance,
      );
      expect(await env.store.streamVersion(stream)).toBe(1);
    } finally {
      remove();
    }
  });

  it("saves inside a transaction on the caller's own client, and a rollback undoes it", async () => {
    const { checkpoints } = env.store;
    const name = `own-${schema}`;
    await checkpoints.saveCheckpoint(name, 5n);
    const pool = adminPool();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await checkpoints.saveCheckpointInTransaction(client, name, 6n, { expectedPosition: 5n });
      // Another connection racing the same save waits for this transaction, then loses.
      const racer = checkpoints.saveCheckpoint(name, 7n, { expectedPosition: 5n }).then(
        () => 'saved',
        (error: unknown) => (CheckpointConflictError.isInstance(error) ? 'conflict' : String(error)),
      );
      await client.query('ROLLBACK');
      expect(await racer).toBe('saved');
      expect(await checkpoints.loadCheckpoint(name)).toBe(7n);

      await client.query('BEGIN');
      await checkpoints.saveCheckpointInTransaction(client, name, 8n, { expectedPosition: 7n });
      const loser = checkpoints.saveCheckpoint(name, 9n, { expectedPosition: 7n }).then(
        () => 'saved',
        (error: unknown) => (CheckpointConflictError.isInstance(error) ? 'conflict' : String(error)),
      );
      await client.query('COMMIT');
      expect(await loser).toBe('conflict');
      expect(await checkpoints.loadCheckpoint(name)).toBe(8n);
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('rejects bad names and positions', async () => {
    for (const position of [-1n, 2n ** 63n, 5 as unknown as bigint]) {
      await expect(env.store.checkpoints.saveCheckpoint('p', position)).rejects.toSatisfy(
        ValidationError.isInstance,
      );
    }
    await expect(env.store.checkpoints.loadCheckpoint('')).rejects.toSatisfy(ValidationError.isInstance);
    await expect(env.store.checkpoints.saveCheckpoint('nul\u0000', 1n)).rejects.toSatisfy(
      ValidationError.isInstance,
    );
  });
});
