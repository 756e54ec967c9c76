import {
  AggregateRepository,
  AggregateRoot,
  type EventHandlers,
  EventRegistry,
  type EventStore,
  type SnapshotStore,
} from '@strata/core';
import { createMemoryEventStore, MemorySnapshotStore } from '@strata/store-memory';
import { type Snapshotter, type SnapshottingOptions, snapshotting } from '../src/index.js';

type LedgerEvent =
  | { type: 'ledger.opened'; data: { owner: string } }
  | { type: 'ledger.posted'; data: { amount: bigint; at: Date } };

export interface LedgerState {
  owner: string;
  balance: bigint;
  postings: number;
  lastAt: Date | null;
}

/** A test aggregate whose state uses bigints and Dates, so snapshots must go through the codec. */
export class Ledger extends AggregateRoot<LedgerEvent> {
  owner = '';
  balance = 0n;
  postings = 0;
  lastAt: Date | null = null;
  restoredFrom = 0;

  protected readonly handlers: EventHandlers<LedgerEvent> = {
    'ledger.opened': ({ owner }) => {
      this.owner = owner;
    },
    'ledger.posted': ({ amount, at }) => {
      this.balance += amount;
      this.postings++;
      this.lastAt = at;
    },
  };

  open(owner: string): void {
    this.record('ledger.opened', { owner });
  }

  post(amount: bigint): void {
    this.record('ledger.posted', { amount, at: new Date(Date.UTC(2026, 0, 1, 0, 0, this.postings)) });
  }

  protected override snapshotState(): LedgerState {
    return { owner: this.owner, balance: this.balance, postings: this.postings, lastAt: this.lastAt };
  }

  protected override restoreState(state: unknown): void {
    const s = state as LedgerState;
    if (typeof s.balance !== 'bigint') throw new TypeError('balance must be a bigint');
    this.owner = s.owner;
    this.balance = s.balance;
    this.postings = s.postings;
    this.lastAt = s.lastAt;
    this.restoredFrom = this.postings;
  }
}

/** Counts the events a store hands out, so a test can tell how many a load replayed. */
export function countingReads(store: EventStore): EventStore & { eventsRead: number } {
  const counting = Object.create(store) as EventStore & { eventsRead: number };
  counting.eventsRead = 0;
  counting.readStream = async (...args) => {
    const events = await store.readStream(...args);
    counting.eventsRead += events.length;
    return events;
  };
  return counting;
}

export const registry = new EventRegistry().register('ledger.opened').register('ledger.posted');

export function ledgers(
  options: Partial<SnapshottingOptions> = {},
  stores: { events?: EventStore; snapshots?: SnapshotStore } = {},
) {
  const events = countingReads(stores.events ?? createMemoryEventStore());
  const snapshotStore = stores.snapshots ?? new MemorySnapshotStore();
  const snapshots: Snapshotter = snapshotting({
    store: snapshotStore,
    stateVersion: 1,
    registry,
    ...options,
  });
  const repository = new AggregateRepository(events, {
    streamType: 'ledger',
    create: (id) => new Ledger(id),
    registry,
    snapshots,
  });
  return { events, snapshotStore, snapshots, repository };
}

/** Saves a ledger with `postings` postings, `perSave` at a time. */
export async function ledgerWith(
  repository: AggregateRepository<Ledger>,
  id: string,
  postings: number,
  perSave = postings,
): Promise<void> {
  await repository.update(id, (ledger) => ledger.open('ada'), { createIfMissing: true });
  for (let done = 0; done < postings; done += perSave) {
    await repository.update(id, (ledger) => {
      for (let i = 0; i < Math.min(perSave, postings - done); i++) ledger.post(BigInt(i + 1));
    });
  }
}
