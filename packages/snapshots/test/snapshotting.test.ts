import { AggregateRepository, AggregateRoot, type Snapshot, type SnapshotStore } from '@strata/core';
import { createMemoryEventStore, MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { everyNEvents, never, type SnapshotEvent, snapshotting } from '../src/index.js';
import { type Ledger, ledgers, ledgerWith } from './ledger.js';

describe('aggregates load from snapshots', () => {
  it('replays only the events after the newest snapshot, and the state is the same', async () => {
    const { repository, snapshots, events } = ledgers({ strategy: everyNEvents(10) });
    await ledgerWith(repository, 'l-1', 25, 5);
    await snapshots.flush();
    expect(snapshots.stats.written).toBeGreaterThan(0);

    events.eventsRead = 0;
    const ledger = (await repository.load('l-1')) as Ledger;
    expect(ledger.version).toBe(26);
    expect(ledger.postings).toBe(25);
    expect(ledger.balance).toBe(75n);
    expect(ledger.lastAt).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0, 24)));
    expect(ledger.restoredFrom).toBeGreaterThan(0);
    expect(events.eventsRead).toBe(26 - (ledger.restoredFrom + 1));
    expect(events.eventsRead).toBeLessThan(10);
  });

  it('loads as of version N from a snapshot at or below N', async () => {
    const { repository, snapshots, events } = ledgers({ strategy: everyNEvents(5) });
    await ledgerWith(repository, 'l-2', 30, 5);
    await snapshots.flush();
    events.eventsRead = 0;
    const asOf = (await repository.load('l-2', { toVersion: 13 })) as Ledger;
    expect(asOf.version).toBe(13);
    expect(asOf.postings).toBe(12);
    expect(asOf.restoredFrom + 1).toBeLessThanOrEqual(13);
    expect(events.eventsRead).toBe(13 - (asOf.restoredFrom + 1));
  });

  it('does not delay the save: a snapshot write that hangs leaves save() and load() unaffected', async () => {
    const hanging = new MemorySnapshotStore();
    hanging.saveSnapshot = () => new Promise<void>(() => {});
    const { repository, snapshots } = ledgers({ strategy: everyNEvents(1) }, { snapshots: hanging });
    await ledgerWith(repository, 'l-3', 3);
    expect((await repository.load('l-3')).version).toBe(4);
    expect(snapshots.stats.written).toBe(0);
  });

  it('reports a failed snapshot write and never fails the save', async () => {
    const failing = new MemorySnapshotStore();
    failing.saveSnapshot = async () => {
      throw new Error('disk full');
    };
    const seen: SnapshotEvent[] = [];
    const { repository, snapshots } = ledgers(
      { strategy: everyNEvents(1), onEvent: (event) => seen.push(event) },
      { snapshots: failing },
    );
    await ledgerWith(repository, 'l-4', 2);
    await snapshots.flush();
    expect(snapshots.stats.writeFailures).toBeGreaterThan(0);
    expect(seen.find((e) => e.type === 'write-failed')).toMatchObject({ streamId: 'ledger-l-4' });
    expect((await repository.load('l-4')).version).toBe(3);
  });

  it('skips a corrupt snapshot, reports it, and loads from the events', async () => {
    const store = new MemorySnapshotStore();
    const seen: SnapshotEvent[] = [];
    const { repository, snapshots } = ledgers(
      { strategy: never, onEvent: (e) => seen.push(e) },
      { snapshots: store },
    );
    await ledgerWith(repository, 'l-5', 6);
    await store.saveSnapshot({
      streamId: 'ledger-l-5',
      version: 4,
      stateVersion: 1,
      state: { strataSnapshot: 1, codec: 'gzip', body: 'bm90IGd6aXA=', bytes: 10 },
    });
    const ledger = (await repository.load('l-5')) as Ledger;
    expect(ledger.version).toBe(7);
    expect(ledger.balance).toBe(21n);
    expect(ledger.restoredFrom).toBe(0);
    expect(snapshots.stats.unreadable).toBe(1);
    expect(seen).toContainEqual(
      expect.objectContaining({ type: 'ignored', reason: 'unreadable', version: 4 }),
    );
  });

  it('skips a snapshot the aggregate rejects, and snapshots the stream on its next save', async () => {
    const store = new MemorySnapshotStore();
    const { repository, snapshots } = ledgers({ strategy: never }, { snapshots: store });
    await ledgerWith(repository, 'l-6', 3);
    // Valid envelope, but balance is a number: restoreState throws on it.
    await store.saveSnapshot({
      streamId: 'ledger-l-6',
      version: 3,
      stateVersion: 1,
      state: {
        strataSnapshot: 1,
        codec: 'none',
        body: { owner: 'x', balance: 1, postings: 2, lastAt: null },
        bytes: 1,
      },
    });
    const ledger = (await repository.load('l-6')) as Ledger;
    expect(ledger.balance).toBe(6n);
    expect(snapshots.stats.rejected).toBe(1);
    await repository.update('l-6', (l) => l.post(1n));
    await snapshots.flush();
    expect(snapshots.stats.written).toBe(1);
    expect((await store.loadSnapshot('ledger-l-6'))?.version).toBe(5);
  });

  it('takes a snapshot on demand with write(), for the never strategy', async () => {
    const { repository, snapshots, snapshotStore } = ledgers({ strategy: never });
    await ledgerWith(repository, 'l-7', 4);
    const ledger = await repository.load('l-7');
    await snapshots.write({ streamId: 'ledger-l-7', ...ledger.toSnapshot() });
    expect((await snapshotStore.loadSnapshot('ledger-l-7'))?.version).toBe(5);
  });

  it('keeps working when the snapshot store cannot be read', async () => {
    const broken: SnapshotStore = Object.assign(new MemorySnapshotStore(), {
      loadSnapshot: async (): Promise<Snapshot | undefined> => {
        throw new Error('connection refused');
      },
    });
    const { repository, snapshots } = ledgers({ strategy: never }, { snapshots: broken });
    await ledgerWith(repository, 'l-8', 2);
    expect((await repository.load('l-8')).version).toBe(3);
    expect(snapshots.stats.loadFailures).toBeGreaterThan(0);
  });

  it('lets two writers snapshot the same stream at the same version', async () => {
    const store = new MemorySnapshotStore();
    const a = ledgers({ strategy: never }, { snapshots: store });
    await ledgerWith(a.repository, 'l-9', 4);
    const ledger = await a.repository.load('l-9');
    const b = ledgers({ strategy: never }, { snapshots: store });
    const snapshot = { streamId: 'ledger-l-9', ...ledger.toSnapshot() };
    await Promise.all([
      a.snapshots.write(snapshot),
      b.snapshots.write(snapshot),
      a.snapshots.write(snapshot),
    ]);
    const loaded = (await a.repository.load('l-9')) as Ledger;
    expect(loaded.restoredFrom).toBe(4);
    expect(loaded.balance).toBe(10n);
  });
});

describe('aggregates without snapshotState/restoreState', () => {
  it('load and save as before: the option is ignored for them', async () => {
    type CounterEvent = { type: 'counted'; data: Record<string, never> };
    class Counter extends AggregateRoot<CounterEvent> {
      count = 0;
      protected readonly handlers = { counted: () => void this.count++ };
      tick(): void {
        this.record('counted', {});
      }
    }
    const store = new MemorySnapshotStore();
    const snapshots = snapshotting({ store, stateVersion: 1, strategy: everyNEvents(1) });
    const counters = new AggregateRepository(createMemoryEventStore(), {
      streamType: 'counter',
      create: (id) => new Counter(id),
      snapshots,
    });
    const counter = new Counter('c');
    counter.tick();
    counter.tick();
    await counters.save(counter);
    expect(counter.supportsSnapshots).toBe(false);
    expect(() => counter.toSnapshot()).toThrow(/implement snapshotState\(\) and restoreState\(\)/);
    expect(((await counters.load('c')) as Counter).count).toBe(2);
    await snapshots.flush();
    expect(snapshots.stats.written).toBe(0);
    expect(await store.loadSnapshot('counter-c')).toBeUndefined();
  });
});
