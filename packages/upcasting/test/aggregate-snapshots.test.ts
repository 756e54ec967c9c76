import { AggregateRepository, AggregateRoot, type EventHandlers, EventRegistry } from '@strata/core';
import { everyNEvents, never, snapshotting } from '@strata/snapshots';
import { MemoryEventStore, MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { defineUpcasters, withUpcasting } from '../src/index.js';

// Today's events: an account opened by an owner, and deposits in cents with the date they were booked.
type AccountEvent =
  | { type: 'account.opened'; data: { owner: string } }
  | { type: 'account.deposited'; data: { cents: number; bookedAt: Date } };

class Account extends AggregateRoot<AccountEvent> {
  owner = '';
  cents = 0;
  lastBooked: Date | undefined;
  protected readonly handlers: EventHandlers<AccountEvent> = {
    'account.opened': ({ owner }) => {
      this.owner = owner;
    },
    'account.deposited': ({ cents, bookedAt }) => {
      this.cents += cents;
      this.lastBooked = bookedAt;
    },
  };
  open(owner: string): void {
    this.record('account.opened', { owner });
  }
  deposit(cents: number, bookedAt: Date): void {
    this.record('account.deposited', { cents, bookedAt });
  }
  protected override snapshotState() {
    return { owner: this.owner, cents: this.cents, lastBooked: this.lastBooked ?? null };
  }
  protected override restoreState(state: unknown) {
    const s = state as { owner: string; cents: number; lastBooked: Date | null };
    this.owner = s.owner;
    this.cents = s.cents;
    this.lastBooked = s.lastBooked ?? undefined;
  }
}

const registry = new EventRegistry()
  .register('account.opened')
  .register('account.deposited', { schemaVersion: 2 });

// History: an older program named the opening `AccountCreated`, and deposited whole units (v1).
// Upcasters see the stored JSON, so the date is still the registry's tagged form.
const upcasters = defineUpcasters(registry, [
  { type: 'AccountCreated', fromVersion: 1, toType: 'account.opened', toVersion: 1 },
  {
    type: 'account.deposited',
    fromVersion: 1,
    upcast: ({ amount, on }: { amount: number; on: string }) => ({
      cents: amount * 100,
      bookedAt: { $date: `${on}T00:00:00.000Z` },
    }),
  },
]);

const streamId = 'account-a-1';

/** Five events as the old program stored them, and a repository of today's program over them. */
async function oldHistory() {
  const inner = new MemoryEventStore();
  await inner.append(
    streamId,
    [
      { type: 'AccountCreated', data: { owner: 'Ada' } },
      ...[1, 2, 3, 4].map((day) => ({
        type: 'account.deposited',
        data: { amount: day, on: `2020-01-0${day}` },
        schemaVersion: 1,
      })),
    ],
    { streamType: 'account' },
  );
  const store = withUpcasting(inner, upcasters);
  const repository = (snapshots?: ReturnType<typeof snapshotting>) =>
    new AggregateRepository(store, {
      streamType: 'account',
      create: (id) => new Account(id),
      registry,
      ...(snapshots === undefined ? {} : { snapshots }),
    });
  return { inner, store, repository };
}

const stateOf = (a: Account) => ({
  owner: a.owner,
  cents: a.cents,
  lastBooked: a.lastBooked,
  version: a.version,
});

describe('an aggregate over upcast events', () => {
  it('loads from old events, saves current ones, and loads again', async () => {
    const { inner, repository } = await oldHistory();
    const accounts = repository();
    const account = await accounts.load('a-1');
    expect(stateOf(account)).toEqual({
      owner: 'Ada',
      cents: 1000,
      lastBooked: new Date('2020-01-04T00:00:00.000Z'),
      version: 5,
    });
    await accounts.update('a-1', (a) => a.deposit(50, new Date('2024-05-01T12:00:00.000Z')));
    const stored = await inner.readStream(streamId, { fromVersion: 6 });
    expect(stored.map((e) => [e.type, e.schemaVersion])).toEqual([['account.deposited', 2]]);
    expect(stateOf(await accounts.load('a-1'))).toMatchObject({ cents: 1050, version: 6 });
    expect(stateOf(await accounts.load('a-1', { toVersion: 2 }))).toMatchObject({ cents: 100, version: 2 });
  });

  it('restores a snapshot the old program wrote, upgrades its shape, and replays the upcast events after it', async () => {
    const { repository } = await oldHistory();
    const snapshotStore = new MemorySnapshotStore();
    // The old program kept a balance in whole units (state shape 1), snapshotted at version 3.
    const oldSnapshots = snapshotting({ store: snapshotStore, stateVersion: 1, strategy: never });
    await oldSnapshots.write({ streamId, version: 3, state: { owner: 'Ada', units: 3, lastBooked: null } });

    const snapshots = snapshotting({
      store: snapshotStore,
      stateVersion: 2,
      strategy: everyNEvents(2),
      upgraders: {
        1: (old) => {
          const { owner, units } = old as { owner: string; units: number };
          return { owner, cents: units * 100, lastBooked: new Date('2020-01-03T00:00:00.000Z') };
        },
      },
    });
    const accounts = repository(snapshots);
    const fromSnapshot = await accounts.load('a-1');
    expect(snapshots.stats).toMatchObject({ restored: 1, upgraded: 1 });
    expect(stateOf(fromSnapshot)).toEqual(stateOf(await repository().load('a-1')));

    // Today's program saves current events; its strategy writes a snapshot of today's shape after them.
    await accounts.update('a-1', (a) => a.deposit(1, new Date('2024-05-01T00:00:00.000Z')));
    await accounts.update('a-1', (a) => a.deposit(2, new Date('2024-05-02T00:00:00.000Z')));
    await snapshots.flush();
    expect(snapshots.stats.written).toBeGreaterThanOrEqual(1);
    const newest = await snapshotStore.loadSnapshot(streamId);
    expect(newest?.version).toBe(6); // then the load replays version 7 after it

    const restored = snapshots.stats.restored;
    const fromNewSnapshot = await accounts.load('a-1');
    expect(snapshots.stats.restored).toBe(restored + 1);
    const replayed = await repository().load('a-1');
    expect(stateOf(fromNewSnapshot)).toEqual(stateOf(replayed));
    expect(stateOf(replayed)).toEqual({
      owner: 'Ada',
      cents: 1003,
      lastBooked: new Date('2024-05-02T00:00:00.000Z'),
      version: 7,
    });
  });

  it("a snapshot written by today's program between old events restores, then the old events after it are upcast", async () => {
    const { repository } = await oldHistory();
    const snapshotStore = new MemorySnapshotStore();
    const snapshots = snapshotting({ store: snapshotStore, stateVersion: 2, strategy: never });
    const atTwo = await repository().load('a-1', { toVersion: 2 });
    await snapshots.write({ streamId, ...atTwo.toSnapshot() });
    const account = await repository(snapshots).load('a-1');
    expect(snapshots.stats.restored).toBe(1);
    expect(stateOf(account)).toEqual(stateOf(await repository().load('a-1')));
  });
});
