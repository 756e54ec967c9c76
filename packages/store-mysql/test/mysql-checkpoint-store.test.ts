import { randomUUID } from 'node:crypto';
import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { mysqlReachable } from './mysql-test-server.js';
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
});
