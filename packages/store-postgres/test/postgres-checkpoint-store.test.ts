import { ValidationError } from '@strata/core';
import { expect, it } from 'vitest';
import { describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

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

  it('a hook can move a checkpoint in the same transaction as the events', async () => {
    const remove = env.store.onAppend(async ({ client, events }) => {
      const last = events[events.length - 1]!;
      await client.query(
        `INSERT INTO "${schema}".strata_checkpoints (name, position, updated_at) VALUES ('inline', $1, 0)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
        [last.position.toString()],
      );
    });
    try {
      const result = await env.store.append(`cp-${schema}`, [{ type: 't', data: 1 }]);
      expect(await env.store.checkpoints.loadCheckpoint('inline')).toBe(result.lastPosition);
    } finally {
      remove();
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
