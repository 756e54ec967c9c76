import {
  describeCheckpointStore,
  describeDeadLetterStore,
  describeKeyStore,
  describeSnapshotStore,
} from '@strata/conformance';
import { StoreClosedError, ValidationError } from '@strata/core';
import { expect, it } from 'vitest';
import { describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('PostgresSnapshotStore (store.snapshots)', () => {
  const env = storeInFreshSchema();
  const { schema } = env;
  let n = 0;
  const streamId = () => `snap-${n++}-${schema}`;

  it('loads the newest snapshot, filtered by state version and max version', async () => {
    const { snapshots } = env.store;
    const s = streamId();
    const createdAt = new Date('2024-01-02T03:04:05.678Z');
    await snapshots.saveSnapshot({
      streamId: s,
      version: 5,
      stateVersion: 1,
      state: { total: 5 },
      createdAt,
    });
    await snapshots.saveSnapshot({ streamId: s, version: 10, stateVersion: 2, state: { sum: 10 } });
    await snapshots.saveSnapshot({ streamId: s, version: 20, stateVersion: 1, state: { total: 20 } });

    expect(await snapshots.loadSnapshot(s)).toMatchObject({ version: 20, state: { total: 20 } });
    expect(await snapshots.loadSnapshot(s, { stateVersion: 2 })).toMatchObject({
      version: 10,
      stateVersion: 2,
    });
    expect(await snapshots.loadSnapshot(s, { maxVersion: 19 })).toMatchObject({ version: 10 });
    expect(await snapshots.loadSnapshot(s, { maxVersion: 9, stateVersion: 1 })).toEqual({
      streamId: s,
      version: 5,
      stateVersion: 1,
      state: { total: 5 },
      createdAt,
    });
    expect(await snapshots.loadSnapshot(s, { stateVersion: 3 })).toBeUndefined();
    expect(await snapshots.loadSnapshot(s, { maxVersion: Number.MAX_SAFE_INTEGER })).toMatchObject({
      version: 20,
    });
    expect(await snapshots.loadSnapshot(streamId())).toBeUndefined();
  });

  it('replaces a snapshot saved again at the same version', async () => {
    const s = streamId();
    await env.store.snapshots.saveSnapshot({ streamId: s, version: 3, stateVersion: 1, state: ['old'] });
    await env.store.snapshots.saveSnapshot({ streamId: s, version: 3, stateVersion: 2, state: ['new'] });
    expect(await env.store.snapshots.loadSnapshot(s)).toMatchObject({
      version: 3,
      stateVersion: 2,
      state: ['new'],
    });
  });

  it('deletes snapshots below a version, or all of a stream', async () => {
    const s = streamId();
    const t = streamId();
    for (const version of [1, 2, 3, 4]) {
      await env.store.snapshots.saveSnapshot({ streamId: s, version, stateVersion: 1, state: version });
    }
    await env.store.snapshots.saveSnapshot({ streamId: t, version: 1, stateVersion: 1, state: null });
    expect(await env.store.snapshots.deleteSnapshots(s, { beforeVersion: 3 })).toBe(2);
    expect(await env.store.snapshots.loadSnapshot(s, { maxVersion: 2 })).toBeUndefined();
    expect(await env.store.snapshots.deleteSnapshots(s)).toBe(2);
    expect(await env.store.snapshots.deleteSnapshots(s)).toBe(0);
    expect(await env.store.snapshots.loadSnapshot(t)).toMatchObject({ state: null });
  });

  it('round-trips state exactly, including what jsonb would change', async () => {
    const s = streamId();
    const state = { zeta: 1, alpha: [1.5, -0, 'nul\u0000', { '': null }], big: 1e21 };
    await env.store.snapshots.saveSnapshot({ streamId: s, version: 1, stateVersion: 1, state });
    const loaded = await env.store.snapshots.loadSnapshot(s);
    expect(loaded?.state).toEqual(JSON.parse(JSON.stringify(state)));
    expect(Object.keys(loaded?.state as object)).toEqual(['zeta', 'alpha', 'big']);
  });

  it('is shared by every store on the same tables', async () => {
    const peer = await openStore(schema);
    const s = streamId();
    await env.store.snapshots.saveSnapshot({ streamId: s, version: 1, stateVersion: 1, state: { a: 1 } });
    expect(await peer.snapshots.loadSnapshot(s)).toMatchObject({ state: { a: 1 } });
    await peer.close();
    await expect(peer.snapshots.loadSnapshot(s)).rejects.toSatisfy(StoreClosedError.isInstance);
  });

  it('rejects bad input before writing', async () => {
    const s = streamId();
    const base = { streamId: s, version: 1, stateVersion: 1, state: {} };
    for (const bad of [
      { ...base, streamId: '' },
      { ...base, streamId: 'nul\u0000' },
      { ...base, version: -1 },
      { ...base, version: 2 ** 31 },
      { ...base, stateVersion: 1.5 },
      { ...base, state: { when: new Date() } },
      { ...base, state: undefined },
      { ...base, createdAt: new Date(Number.NaN) },
    ]) {
      await expect(env.store.snapshots.saveSnapshot(bad)).rejects.toSatisfy(ValidationError.isInstance);
    }
    await expect(env.store.snapshots.loadSnapshot(s, { maxVersion: -1 })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    expect(await env.store.snapshots.loadSnapshot(s)).toBeUndefined();
  });
});

describePostgres('PostgreSQL snapshot and checkpoint stores (conformance kit)', () => {
  const env = storeInFreshSchema();

  describeSnapshotStore('PostgresSnapshotStore', { create: async () => env.store.snapshots });
  describeCheckpointStore('PostgresCheckpointStore', { create: async () => env.store.checkpoints });
  describeDeadLetterStore('PostgresDeadLetterStore', { create: async () => env.store.deadLetters });
  describeKeyStore('PostgresKeyStore', { create: async () => env.store.keys });
});
