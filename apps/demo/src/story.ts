import {
  AggregateRepository,
  type CheckpointStore,
  ConcurrencyError,
  type EventStore,
  iterateAll,
  type SnapshotStore,
} from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { everyNEvents, snapshotting } from '@strata/snapshots';
import { LoyaltyAccount } from './domain/loyalty.js';
import { Order, type OrderEvent, OrderRuleError } from './domain/order.js';
import { createDemoRegistry } from './domain/registry.js';
import { User } from './domain/user.js';
import type { OrderSummaries } from './read-models/order-summaries.js';
import { sectionHeading } from './section-heading.js';

export type Print = (line: string) => void;

const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

/** The stores the story keeps beside its events: every adapter offers both. */
export interface SideStores {
  snapshots: SnapshotStore;
  checkpoints: CheckpointStore;
  /** A realtime read model, attached to `store` before the story starts (see `read-models/`). */
  orderSummaries: OrderSummaries;
}

/**
 * The demo's story, told against any EventStore: a user places an order, two clerks edit it at
 * once, the conflict is caught and retried, the state is rebuilt, past and present, from the log,
 * an aggregate with a long history loads from a snapshot, and two read models follow the log: a
 * realtime one, current as soon as an append returns, and an async one that lags behind.
 */
export async function tellStory(store: EventStore, side: SideStores, print: Print): Promise<void> {
  const registry = createDemoRegistry();
  const users = new AggregateRepository(store, {
    streamType: 'user',
    create: (id) => new User(id),
    registry,
  });
  const orders = new AggregateRepository(store, {
    streamType: 'order',
    create: (id) => new Order(id),
    registry,
  });
  const section = (title: string) => print(sectionHeading(title));

  section('1. A user registers');
  const ada = new User('ada');
  ada.register('ada@example.com', 'Ada Lovelace');
  const registered = await users.save(ada);
  print(
    `user-ada registered → stream version ${registered?.lastVersion}, global position ${registered?.lastPosition}`,
  );

  section('2. She places an order');
  const order = new Order('1001');
  order.place('ada');
  order.addItem({ sku: 'notebook', quantity: 2, unitPriceCents: 450 });
  order.addItem({ sku: 'pen', quantity: 3, unitPriceCents: 120 });
  const placed = await orders.save(order);
  print(`order-1001: 3 events appended as versions ${placed?.firstVersion}..${placed?.lastVersion}`);
  print(`total so far ${euros(order.totalCents)}`);

  section('3. Two clerks edit the same order at once');
  const clerkA = await orders.load('1001');
  const clerkB = await orders.load('1001');
  print(`both clerks loaded order-1001 at version ${clerkA.version}`);
  clerkA.addItem({ sku: 'ink', quantity: 1, unitPriceCents: 800 });
  await orders.save(clerkA);
  print(`clerk A added ink and saved → version ${clerkA.version}`);
  clerkB.addItem({ sku: 'eraser', quantity: 1, unitPriceCents: 90 });
  try {
    await orders.save(clerkB);
    print('clerk B saved (this should not happen)');
  } catch (error) {
    if (!ConcurrencyError.isInstance(error)) throw error;
    print(
      `clerk B's save was refused: expected version ${error.expectedVersion}, stream is at ${error.actualVersion}`,
    );
  }
  print('clerk B tries again with orders.update, which reloads and re-runs the command on a conflict');
  let clerkAInterferes = true;
  const retried = await orders.update(
    '1001',
    async (fresh) => {
      if (clerkAInterferes) {
        clerkAInterferes = false;
        await orders.update('1001', (o) => o.addItem({ sku: 'paper', quantity: 1, unitPriceCents: 300 }));
        print('  meanwhile clerk A added paper');
      }
      fresh.addItem({ sku: 'eraser', quantity: 1, unitPriceCents: 90 });
    },
    {
      onRetry: (error, attempt) =>
        print(`  conflict at version ${error.actualVersion}: reloaded, retry ${attempt}`),
    },
  );
  print(`clerk B's eraser is in → version ${retried.version}, ${retried.lines.length} lines`);

  section('4. The business rules hold');
  await orders.update('1001', (o) => o.pay());
  try {
    await orders.update('1001', (o) => o.addItem({ sku: 'stapler', quantity: 1, unitPriceCents: 1500 }));
  } catch (error) {
    if (!(error instanceof OrderRuleError)) throw error;
    print(`adding an item after payment was refused: ${error.message}`);
  }
  await orders.update('1001', (o) => o.ship('DHL'));
  print('order paid and shipped');

  section('5. State rebuilt from the events');
  const now = await orders.load('1001');
  print(
    `order-1001 now: ${now.status}, ${now.lines.length} lines, ${euros(now.totalCents)}, version ${now.version}`,
  );
  const past = await orders.load('1001', { toVersion: 3 });
  print(
    `order-1001 as of version 3: ${past.status}, ${past.lines.map((l) => l.sku).join(' + ')}, ${euros(past.totalCents)}`,
  );

  section('6. A retried append writes nothing twice');
  const event = {
    id: 'demo-email-change-1',
    type: 'user.email_changed',
    data: { from: 'ada@example.com', to: 'ada@strata.dev' },
  };
  const first = await store.append('user-ada', [event], { expectedVersion: 1 });
  const again = await store.append('user-ada', [event], { expectedVersion: 1 });
  print(
    `first append → version ${first.lastVersion}; the same batch again → version ${again.lastVersion} (no new event)`,
  );
  print(`user-ada holds ${await store.streamVersion('user-ada')} events`);

  section('7. The global log, in commit order');
  for await (const recorded of iterateAll(store, { batchSize: 4 })) {
    const position = String(recorded.position).padStart(3);
    print(`${position}  ${recorded.streamId.padEnd(11)} v${recorded.version}  ${recorded.type}`);
  }

  section('8. A long history loads from a snapshot');
  let restoredAt = 0;
  const snapshots = snapshotting({
    store: side.snapshots,
    stateVersion: 1,
    registry,
    strategy: everyNEvents(500),
    onEvent: (event) => {
      if (event.type === 'restored') restoredAt = event.version;
    },
  });
  const loyalty = new AggregateRepository(store, {
    streamType: 'loyalty',
    create: (id) => new LoyaltyAccount(id),
    registry,
    snapshots,
  });
  await loyalty.update('ada', (account) => account.join('ada'), { createIfMissing: true });
  for (let day = 0; day < 20; day++) {
    await loyalty.update('ada', (account) => {
      for (let purchase = 0; purchase < 100; purchase++) account.earn(5, `order-${day}-${purchase}`);
    });
  }
  await snapshots.flush();
  print(
    `loyalty-ada earned points on 2,000 purchases; snapshots written every 500 events: ${snapshots.stats.written}`,
  );
  const account = await loyalty.load('ada');
  print(
    `loaded at version ${account.version} (${account.points} points) from the snapshot at version ${restoredAt}: ` +
      `replayed ${account.version - restoredAt} events instead of ${account.version}`,
  );
  await loyalty.update('ada', (a) => a.earn(25, 'order-late'));
  const later = await loyalty.load('ada');
  print(
    `one more purchase, loaded again: ${later.points} points, replayed ${later.version - restoredAt} event after the snapshot at version ${restoredAt}`,
  );

  section('9. Two read models: one realtime, one async');
  const summaries = side.orderSummaries;
  const realtime = summaries.status();
  print(
    `order-summaries is realtime: ${summaries.how}; ${realtime.state}, ${realtime.eventsProcessed} order events applied so far`,
  );
  const soldBySku = new Map<string, number>();
  const itemsSold = defineProjector<OrderEvent>({
    name: 'items-sold-by-sku',
    registry,
    handlers: {
      'order.item_added': ({ sku, quantity }) => {
        soldBySku.set(sku, (soldBySku.get(sku) ?? 0) + quantity);
      },
    },
  });
  // The read model lives in memory, so it is rebuilt from the first event on every run.
  await side.checkpoints.deleteCheckpoint(itemsSold.name);
  const runner = new ProjectionRunner({ store, checkpoints: side.checkpoints, projector: itemsSold });
  print(
    `items-sold-by-sku is async, a runner follows the log: it starts ${(await runner.lag()).events} events behind`,
  );
  await runner.catchUp();
  const sold = () => [...soldBySku].map(([sku, n]) => `${sku} ×${n}`).join(', ');
  print(`caught up at position ${runner.status().checkpoint}: ${sold()}`);
  await orders.update(
    '1002',
    (o) => {
      o.place('ada');
      o.addItem({ sku: 'pen', quantity: 10, unitPriceCents: 120 });
    },
    { createIfMissing: true },
  );
  print('order-1002 is placed with 10 pens');

  section('10. The read models, queried at the end');
  print('order-summaries, as soon as the append returned:');
  for (const row of await summaries.list()) {
    const lines = `${row.lines} line${row.lines === 1 ? '' : 's'}`;
    print(`  ${row.orderId.padEnd(11)} ${row.status.padEnd(8)} ${lines.padEnd(8)} ${euros(row.totalCents)}`);
  }
  const lag = await runner.lag();
  print(`items-sold-by-sku lags ${lag.events} event behind (${lag.seconds.toFixed(3)} s): still ${sold()}`);
  await runner.catchUp();
  print(`after its runner catches up (lag ${(await runner.lag()).events}): ${sold()}`);
}
