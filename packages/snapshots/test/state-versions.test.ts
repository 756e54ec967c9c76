import { ValidationError } from '@strata/core';
import { MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { never, snapshotting } from '../src/index.js';
import { type Ledger, ledgers, ledgerWith } from './ledger.js';

/** A ledger stream with a snapshot at version 5 written under state version 1. */
async function ledgerWithV1Snapshot() {
  const store = new MemorySnapshotStore();
  const v1 = ledgers({ strategy: never, stateVersion: 1 }, { snapshots: store });
  await ledgerWith(v1.repository, 'v-1', 4);
  const ledger = await v1.repository.load('v-1');
  await v1.snapshots.write({ streamId: 'ledger-v-1', ...ledger.toSnapshot() });
  return { store, events: v1.events };
}

describe('state versions', () => {
  it('moves an old snapshot forward with the registered upgraders', async () => {
    const { store, events } = await ledgerWithV1Snapshot();
    const v3 = ledgers(
      {
        strategy: never,
        stateVersion: 3,
        upgraders: {
          1: (s) => ({ ...(s as object), currency: 'EUR' }),
          2: (s) => ({ ...(s as object), postings: (s as { postings: number }).postings }),
        },
      },
      { snapshots: store, events },
    );
    const ledger = (await v3.repository.load('v-1')) as Ledger;
    expect(ledger.restoredFrom).toBe(4);
    expect(ledger.balance).toBe(10n);
    expect(v3.snapshots.stats).toMatchObject({ upgraded: 1, restored: 1, ignoredStateVersion: 0 });
  });

  it('ignores an old snapshot with no upgrader, rebuilds from the events and snapshots again', async () => {
    const { store, events } = await ledgerWithV1Snapshot();
    const v2 = ledgers({ strategy: never, stateVersion: 2 }, { snapshots: store, events });
    const ledger = (await v2.repository.load('v-1')) as Ledger;
    expect(ledger.restoredFrom).toBe(0);
    expect(ledger.balance).toBe(10n);
    expect(v2.snapshots.stats.ignoredStateVersion).toBe(1);

    // The strategy says never, but the next save replaces the unusable snapshot.
    await v2.repository.update('v-1', (l) => l.post(5n));
    await v2.snapshots.flush();
    const newest = await store.loadSnapshot('ledger-v-1');
    expect(newest).toMatchObject({ version: 6, stateVersion: 2 });
    const again = (await v2.repository.load('v-1')) as Ledger;
    expect(again.restoredFrom).toBe(5);
  });

  it('falls back to an older snapshot of the current shape', async () => {
    const store = new MemorySnapshotStore();
    const v2 = ledgers({ strategy: never, stateVersion: 2 }, { snapshots: store });
    await ledgerWith(v2.repository, 'v-2', 4);
    const ledger = await v2.repository.load('v-2');
    await v2.snapshots.write({ streamId: 'ledger-v-2', ...ledger.toSnapshot() });
    await v2.repository.update('v-2', (l) => l.post(1n));
    // A newer snapshot of a newer shape, written by a later deployment that was rolled back.
    await store.saveSnapshot({
      streamId: 'ledger-v-2',
      version: 6,
      stateVersion: 3,
      state: { strataSnapshot: 1, codec: 'none', body: { shape: 'v3' }, bytes: 14 },
    });
    const loaded = (await v2.repository.load('v-2')) as Ledger;
    expect(loaded.restoredFrom).toBe(4);
    expect(loaded.balance).toBe(11n);
    expect(v2.snapshots.stats).toMatchObject({ ignoredStateVersion: 1, restored: 2 });
  });

  it('checks upgraders when it is created', () => {
    const store = new MemorySnapshotStore();
    expect(() => snapshotting({ store, stateVersion: 2, upgraders: { 2: (s) => s } })).toThrow(
      ValidationError,
    );
    expect(() => snapshotting({ store, stateVersion: 0 })).toThrow(ValidationError);
  });
});
