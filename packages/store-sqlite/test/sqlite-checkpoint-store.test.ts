import { ValidationError } from '@strata/core';
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
});
