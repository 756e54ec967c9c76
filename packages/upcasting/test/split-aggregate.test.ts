import {
  AggregateRepository,
  AggregateRoot,
  ConcurrencyError,
  type EventHandlers,
  type EventStore,
} from '@strata/core';
import { everyNEvents, never, snapshotting } from '@strata/snapshots';
import { MemoryEventStore, MemorySnapshotStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { describe, expect, it } from 'vitest';
import { withUpcasting } from '../src/index.js';
import { splitChain, writeSplitHistory } from './split-chain.js';

type OrderEvent =
  | { type: 'order.placed'; data: { item: string; qty: number } }
  | { type: 'order.shipping-set'; data: { address: string } }
  | { type: 'order.note-added'; data: { note: string } }
  | { type: 'order.cancelled'; data: { reason: string } };

const orderHandlers = (order: OrderState): EventHandlers<OrderEvent> => ({
  'order.placed': ({ item, qty }) => {
    order.lines.push(`${qty} ${item}`);
  },
  'order.shipping-set': ({ address }) => {
    order.address = address;
  },
  'order.note-added': ({ note }) => {
    order.notes.push(note);
  },
  'order.cancelled': () => {},
});

interface OrderState {
  lines: string[];
  address: string;
  notes: string[];
}

class Order extends AggregateRoot<OrderEvent> implements OrderState {
  lines: string[] = [];
  address = '';
  notes: string[] = [];
  protected readonly handlers = orderHandlers(this);
  shipTo(address: string): void {
    this.record('order.shipping-set', { address });
  }
  protected override snapshotState(): OrderState {
    return { lines: [...this.lines], address: this.address, notes: [...this.notes] };
  }
  protected override restoreState(state: unknown): void {
    Object.assign(this, state as OrderState);
  }
}

const stateOf = (o: Order) => ({ lines: o.lines, address: o.address, notes: o.notes, version: o.version });
const loaded = { lines: ['1 tea', '2 cake', '1 jam'], address: 'Nice', notes: ['gift'], version: 4 };

describe.each([
  ['MemoryEventStore', () => new MemoryEventStore()],
  ['SqliteEventStore', () => createSqliteEventStore({ database: ':memory:' })],
])('an aggregate whose history holds split events, over %s', (_, create: () => EventStore) => {
  async function history(pageSize?: number) {
    const inner = create();
    const id = crypto.randomUUID();
    await writeSplitHistory(inner, `order-${id}`);
    const store = withUpcasting(inner, splitChain);
    const repository = (snapshots?: ReturnType<typeof snapshotting>) =>
      new AggregateRepository(store, {
        streamType: 'order',
        create: (orderId) => new Order(orderId),
        ...(pageSize === undefined ? {} : { batchSize: pageSize }),
        ...(snapshots === undefined ? {} : { snapshots }),
      });
    return { inner, store, id, streamId: `order-${id}`, repository };
  }

  it("loads at the stored stream's version, so the next save expects the right one", async () => {
    const { inner, id, streamId, repository } = await history();
    const orders = repository();
    const order = await orders.load(id);
    expect(stateOf(order)).toEqual(loaded);
    expect(order.version).toBe(await inner.streamVersion(streamId));
    order.shipTo('Rome');
    const result = await orders.save(order);
    expect(result?.firstVersion).toBe(5);
    expect(stateOf(await orders.load(id))).toMatchObject({ address: 'Rome', version: 5 });
    // A stale copy (loaded at 4) is refused: the expected version is the stored one.
    const stale = await orders.load(id, { toVersion: 4 });
    stale.shipTo('Oslo');
    await expect(orders.save(stale)).rejects.toThrow(ConcurrencyError);
    expect(stateOf(await orders.load(id, { toVersion: 3 }))).toMatchObject({ address: 'Lyon', version: 3 });
  });

  it('applies the parts of one stored event even when a page of the load ends between them', async () => {
    for (const pageSize of [1, 2, 3]) {
      const { id, repository } = await history(pageSize);
      expect(stateOf(await repository().load(id))).toEqual(loaded);
    }
  });

  it('applies parts handed over in separate applyHistory calls, and still refuses a real gap', async () => {
    const { store, id, streamId } = await history();
    const order = new Order(id);
    for (const event of await store.readStream(streamId)) order.applyHistory([event]);
    expect(stateOf(order)).toEqual(loaded);
    const events = await store.readStream(streamId);
    const gappy = new Order(id);
    expect(() => gappy.applyHistory([events[0]!, events[1]!, events[3]!])).toThrow(
      /jumps from version 1 to 3/,
    );
    // An event repeated with its own id (not a further part) is refused too.
    const repeated = new Order(id);
    expect(() => repeated.applyHistory([...events.slice(0, 3), events[2]!])).toThrow(
      /jumps from version 2 to 2/,
    );
  });

  it('ends in the same state loaded from the events and from a snapshot written before or after the split ones', async () => {
    const { id, streamId, repository } = await history();
    const snapshotStore = new MemorySnapshotStore();
    const replayed = await repository().load(id);

    // A snapshot between stored events (after version 1, which split), then the split at 3 replayed after it.
    const early = snapshotting({ store: snapshotStore, stateVersion: 1, strategy: never });
    await early.write({ streamId, ...(await repository().load(id, { toVersion: 1 })).toSnapshot() });
    const fromEarly = await repository(early).load(id);
    expect(early.stats.restored).toBe(1);
    expect(stateOf(fromEarly)).toEqual(stateOf(replayed));

    // A snapshot the repository writes after a save, past every split event.
    const late = snapshotting({ store: snapshotStore, stateVersion: 1, strategy: everyNEvents(1) });
    await repository(late).update(id, (order) => order.shipTo('Rome'));
    await late.flush();
    expect((await snapshotStore.loadSnapshot(streamId))?.version).toBe(5);
    const fromLate = await repository(late).load(id);
    expect(late.stats.restored).toBeGreaterThanOrEqual(1);
    expect(stateOf(fromLate)).toEqual(stateOf(await repository().load(id)));
    expect(stateOf(fromLate)).toEqual({ ...loaded, address: 'Rome', version: 5 });
  });
});
