import { AggregateRepository, AggregateRoot, type EventHandlers } from '@strata/core';
import { everyNEvents, snapshotting } from '@strata/snapshots';
import { describe, expect, it } from 'vitest';
import type { TieredSnapshotStore } from '../src/index.js';
import { sleep } from './support/poll.js';
import { resetCounts, type Tiered, tieredFixture } from './support/tiered-fixture.js';

const fixture = tieredFixture();

const snap = (version: number, stateVersion = 1) => ({
  streamId: 's',
  version,
  stateVersion,
  state: { at: version, nested: { list: [1, 'two', null] } },
});

function snapshotsOf(tiered: Tiered): TieredSnapshotStore {
  const { snapshots } = tiered.store;
  if (snapshots === undefined) throw new Error('the fixture gives every store a warm snapshot store');
  return snapshots;
}

/** Loads `s` twice: the first may promote, the second must be a hit with no warm snapshot call. */
async function loadHot(tiered: Tiered) {
  const snapshots = snapshotsOf(tiered);
  await snapshots.loadSnapshot('s');
  await tiered.store.flush();
  resetCounts(tiered.snapshotCalls);
  const loaded = await snapshots.loadSnapshot('s');
  expect(tiered.snapshotCalls).toEqual({});
  return loaded;
}

describe('tiered snapshots', () => {
  it('a load promotes the newest snapshot, and the next load is served hot without a warm read', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    await snapshots.saveSnapshot(snap(10));
    const first = await snapshots.loadSnapshot('s');
    await tiered.store.flush();
    expect(first).toMatchObject({ version: 10, state: { at: 10 } });
    expect(tiered.store.stats().snapshots).toEqual({ hits: 0, misses: 1, promotions: 1, writeThroughs: 0 });
    resetCounts(tiered.snapshotCalls);
    expect(await snapshots.loadSnapshot('s')).toEqual(first);
    expect(tiered.snapshotCalls).toEqual({});
    expect(tiered.store.stats().snapshots.hits).toBe(1);
  });

  it('a save or delete through the store keeps the copy the newest snapshot; queries it cannot answer go to warm', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    const { snapshotCalls: calls } = tiered;
    await snapshots.saveSnapshot(snap(10));
    await loadHot(tiered);

    await snapshots.saveSnapshot(snap(20));
    expect(tiered.store.stats().snapshots.writeThroughs).toBe(1);
    resetCounts(calls);
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 20 });
    expect(await snapshots.loadSnapshot('s', { stateVersion: 1, maxVersion: 25 })).toMatchObject({
      version: 20,
    });
    expect(calls).toEqual({});
    // Older or of another state shape: only warm knows.
    expect(await snapshots.loadSnapshot('s', { maxVersion: 15 })).toMatchObject({ version: 10 });
    expect(await snapshots.loadSnapshot('s', { stateVersion: 2 })).toBeUndefined();
    expect(calls).toEqual({ loadSnapshot: 2 });

    // An older snapshot saved late leaves the newest as the copy.
    await snapshots.saveSnapshot(snap(5));
    resetCounts(calls);
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 20 });
    // A delete below the copy keeps it; deleting all leaves "none" known.
    expect(await snapshots.deleteSnapshots('s', { beforeVersion: 15 })).toBe(2);
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 20 });
    expect(await snapshots.deleteSnapshots('s', { beforeVersion: 21 })).toBe(1);
    expect(await snapshots.loadSnapshot('s')).toBeUndefined();
    expect(await snapshots.loadSnapshot('s', { stateVersion: 1, maxVersion: 3 })).toBeUndefined();
    expect(calls).toEqual({ deleteSnapshots: 2 });

    // "None" is the newest overall, so the next save becomes the copy at once.
    await snapshots.saveSnapshot(snap(30));
    resetCounts(calls);
    expect(await snapshots.loadSnapshot('s')).toEqual(await tiered.sqlite.snapshots.loadSnapshot('s'));
    expect(calls).toEqual({});
  });

  it('a writer that dies after its first step is waited for until its lease ends, never served stale', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    await snapshots.saveSnapshot(snap(10));
    await loadHot(tiered);

    // Another process begins a save, writes warm and dies before its last step.
    await tiered.hot.beginSnapshotWrite('s', 'dead-writer', 300, 600);
    await tiered.sqlite.snapshots.saveSnapshot(snap(20));
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 20 });
    await tiered.store.flush();
    // Still pending: read from warm again, nothing promoted.
    resetCounts(tiered.snapshotCalls);
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 20 });
    expect(tiered.snapshotCalls).toEqual({ loadSnapshot: 1 });

    await sleep(350);
    expect(await loadHot(tiered)).toMatchObject({ version: 20 });
  });

  it('a writer that dies before its warm write leaves the old snapshot, served hot again after its lease', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    await snapshots.saveSnapshot(snap(10));
    await loadHot(tiered);
    await tiered.hot.beginSnapshotWrite('s', 'dead-writer', 300, 600);
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 10 });
    await sleep(350);
    expect(await loadHot(tiered)).toMatchObject({ version: 10 });
  });

  it('overlapping writers leave no copy, whatever order they finish in', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    const { hot, sqlite } = tiered;
    await snapshots.saveSnapshot(snap(10));
    await loadHot(tiered);

    // A begins, B begins, B saves 30 and ends, then A saves 20 and ends: 30 is the newest, and A
    // must not make its 20 the copy although it ends alone.
    await hot.beginSnapshotWrite('s', 'a', 30_000, 600);
    await hot.beginSnapshotWrite('s', 'b', 30_000, 600);
    await sqlite.snapshots.saveSnapshot(snap(30));
    const toHot = (v: number) => ({ version: v, stateVersion: 1, createdAt: 0, stateJson: '{}' });
    expect(await hot.endSnapshotWrite('s', 'b', { kind: 'save', snapshot: toHot(30) }, 600)).toBe('dropped');
    await sqlite.snapshots.saveSnapshot(snap(20));
    expect(await hot.endSnapshotWrite('s', 'a', { kind: 'save', snapshot: toHot(20) }, 600)).toBe('dropped');
    expect((await hot.readSnapshot('s', undefined)).copy).toBeUndefined();
    expect(await loadHot(tiered)).toMatchObject({ version: 30 });
  });

  it('a writer whose lease ended before its last step leaves no copy', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    const { hot, sqlite } = tiered;
    await snapshots.saveSnapshot(snap(10));
    await loadHot(tiered);
    await hot.beginSnapshotWrite('s', 'slow', 100, 600);
    await sleep(150);
    // Readers stopped waiting for it: one promoted what warm held then.
    expect(await loadHot(tiered)).toMatchObject({ version: 10 });
    await sqlite.snapshots.saveSnapshot(snap(20));
    const late = { version: 20, stateVersion: 1, createdAt: 0, stateJson: '{}' };
    expect(await hot.endSnapshotWrite('s', 'slow', { kind: 'save', snapshot: late }, 600)).toBe('dropped');
    expect(await loadHot(tiered)).toMatchObject({ version: 20 });
  });

  it('a stream without snapshots is known to have none, until a save', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    expect(await loadHot(tiered)).toBeUndefined();
    await snapshots.saveSnapshot(snap(3));
    resetCounts(tiered.snapshotCalls);
    expect(await snapshots.loadSnapshot('s')).toMatchObject({ version: 3 });
    expect(tiered.snapshotCalls).toEqual({});
  });

  it('two deployments sharing a Redis prefix over different warm databases never see each other’s snapshots', async () => {
    const a = await fixture.open();
    const b = await fixture.open({ prefix: a.prefix });
    await snapshotsOf(a).saveSnapshot(snap(10));
    expect(await loadHot(a)).toMatchObject({ version: 10 });
    expect(await loadHot(b)).toBeUndefined();
    await snapshotsOf(b).saveSnapshot(snap(3));
    expect(await loadHot(b)).toMatchObject({ version: 3 });
    expect(await loadHot(a)).toMatchObject({ version: 10 });
  });

  it('list goes to warm; bad input is refused before any write', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotsOf(tiered);
    await snapshots.saveSnapshot(snap(1));
    expect(await snapshots.listSnapshotStreams()).toEqual(['s']);
    resetCounts(tiered.snapshotCalls, tiered.hotCalls);
    await expect(snapshots.saveSnapshot({ ...snap(-1) })).rejects.toMatchObject({ path: 'snapshot.version' });
    expect(tiered.snapshotCalls).toEqual({});
    expect(tiered.hotCalls).toEqual({});
  });
});

type CounterEvent = { type: 'counter.added'; data: { by: number } };

class Counter extends AggregateRoot<CounterEvent> {
  total = 0;
  protected readonly handlers: EventHandlers<CounterEvent> = {
    'counter.added': ({ by }) => {
      this.total += by;
    },
  };
  add(by: number): void {
    this.record('counter.added', { by });
  }
  protected override snapshotState() {
    return { total: this.total };
  }
  protected override restoreState(state: unknown) {
    this.total = (state as { total: number }).total;
  }
}

describe('AggregateRepository with snapshotting over tiered.snapshots', () => {
  it('once hot, a load reads no snapshot and no event row from warm', async () => {
    const tiered = await fixture.open();
    const snapshots = snapshotting({
      store: snapshotsOf(tiered),
      stateVersion: 1,
      strategy: everyNEvents(5),
    });
    const counters = new AggregateRepository(tiered.store, {
      streamType: 'counter',
      create: (id) => new Counter(id),
      snapshots,
    });
    for (let i = 1; i <= 12; i++) {
      await counters.update('c', (c) => c.add(i), { createIfMissing: true });
      await snapshots.flush();
    }
    await counters.load('c');
    await tiered.store.flush();
    resetCounts(tiered.warmCalls, tiered.snapshotCalls);
    const counter = await counters.load('c');
    expect(counter.total).toBe(78);
    expect(counter.version).toBe(12);
    expect(snapshots.stats.restored).toBeGreaterThan(0);
    expect(tiered.snapshotCalls).toEqual({});
    // The strict version check of the events after the snapshot: one indexed row, no event.
    expect(tiered.warmCalls).toEqual({ streamVersion: 1 });
  });
});
