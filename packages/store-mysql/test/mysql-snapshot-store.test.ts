import { randomUUID } from 'node:crypto';
import {
  describeCheckpointStore,
  describeDeadLetterStore,
  describeKeyStore,
  describeSnapshotStore,
} from '@strata/conformance';
import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('MysqlSnapshotStore (store.snapshots)', () => {
  const tables = useTestTables();

  it('saves, replaces and loads the newest snapshot, by state version and max version', async () => {
    const { snapshots } = tables.open();
    const streamId = `snap-${randomUUID()}`;
    expect(await snapshots.loadSnapshot(streamId)).toBeUndefined();
    const createdAt = new Date('2024-05-01T10:00:00.123Z');
    await snapshots.saveSnapshot({
      streamId,
      version: 5,
      stateVersion: 1,
      state: { total: 5, 'ü🧪': [1, null] },
      createdAt,
    });
    await snapshots.saveSnapshot({ streamId, version: 10, stateVersion: 2, state: { total: 10 } });
    await snapshots.saveSnapshot({
      streamId,
      version: 5,
      stateVersion: 1,
      state: { total: 'five' },
      createdAt,
    });
    expect(await snapshots.loadSnapshot(streamId)).toMatchObject({
      version: 10,
      stateVersion: 2,
      state: { total: 10 },
    });
    expect(await snapshots.loadSnapshot(streamId, { stateVersion: 1 })).toEqual({
      streamId,
      version: 5,
      stateVersion: 1,
      state: { total: 'five' },
      createdAt,
    });
    expect(await snapshots.loadSnapshot(streamId, { maxVersion: 9 })).toMatchObject({ version: 5 });
    expect(await snapshots.loadSnapshot(streamId, { stateVersion: 3 })).toBeUndefined();
  });

  it('deletes below a version, or all, and says how many', async () => {
    const { snapshots } = tables.open();
    const streamId = `snap-del-${randomUUID()}`;
    for (const version of [1, 2, 3, 4])
      await snapshots.saveSnapshot({ streamId, version, stateVersion: 1, state: version });
    expect(await snapshots.deleteSnapshots(streamId, { beforeVersion: 3 })).toBe(2);
    expect((await snapshots.loadSnapshot(streamId, { maxVersion: 2 }))?.version).toBeUndefined();
    expect(await snapshots.deleteSnapshots(streamId)).toBe(2);
    expect(await snapshots.loadSnapshot(streamId)).toBeUndefined();
  });

  it('stream ids differing by case or trailing space are different streams', async () => {
    const { snapshots } = tables.open();
    const base = `snap-case-${randomUUID()}`;
    await snapshots.saveSnapshot({ streamId: `${base}-a`, version: 1, stateVersion: 1, state: 'lower' });
    await snapshots.saveSnapshot({ streamId: `${base}-A`, version: 1, stateVersion: 1, state: 'upper' });
    await snapshots.saveSnapshot({ streamId: `${base}-a `, version: 1, stateVersion: 1, state: 'space' });
    expect((await snapshots.loadSnapshot(`${base}-a`))?.state).toBe('lower');
    expect((await snapshots.loadSnapshot(`${base}-A`))?.state).toBe('upper');
    expect((await snapshots.loadSnapshot(`${base}-a `))?.state).toBe('space');
  });

  it('rejects bad input with ValidationError', async () => {
    const { snapshots } = tables.open();
    await expect(
      snapshots.saveSnapshot({ streamId: '', version: 1, stateVersion: 1, state: 1 }),
    ).rejects.toThrow(ValidationError);
    await expect(
      snapshots.saveSnapshot({ streamId: 's', version: -1, stateVersion: 1, state: 1 }),
    ).rejects.toThrow(ValidationError);
    await expect(
      snapshots.saveSnapshot({ streamId: 's', version: 1, stateVersion: 1, state: new Map() }),
    ).rejects.toThrow(ValidationError);
  });
});

describe.skipIf(!reachable)('MySQL snapshot and checkpoint stores (conformance kit)', () => {
  const tables = useTestTables();
  describeSnapshotStore('MysqlSnapshotStore', { create: async () => tables.open().snapshots });
  describeCheckpointStore('MysqlCheckpointStore', { create: async () => tables.open().checkpoints });
  describeDeadLetterStore('MysqlDeadLetterStore', { create: async () => tables.open().deadLetters });
  describeKeyStore('MysqlKeyStore', { create: async () => tables.open().keys });
});
