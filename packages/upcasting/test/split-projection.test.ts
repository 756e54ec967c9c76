import type { EventStore, RecordedEvent } from '@strata/core';
import { defineProjector, ProjectionRunner } from '@strata/projections';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { expect, it } from 'vitest';
import { withUpcasting } from '../src/index.js';
import { splitChain, splitRead, writeSplitHistory } from './split-chain.js';

type ShippingEvent =
  | { type: 'order.placed'; data: { item: string; qty: number } }
  | { type: 'order.shipping-set'; data: { address: string } };

function projection(
  store: EventStore,
  checkpoints: ReturnType<typeof createSqliteEventStore>['checkpoints'],
) {
  const seen: RecordedEvent[] = [];
  const projector = defineProjector<ShippingEvent>({
    name: 'orders-with-addresses',
    handlers: {
      'order.placed': (_data, event) => {
        seen.push(event);
      },
      'order.shipping-set': (_data, event) => {
        seen.push(event);
      },
    },
  });
  return { seen, runner: new ProjectionRunner({ store, checkpoints, projector, batchSize: 1 }) };
}

it("a ProjectionRunner over split events applies every part once, and its checkpoint never falls between one stored event's parts", async () => {
  const inner = createSqliteEventStore({ database: ':memory:' });
  const streamId = 'order-o-1';
  await writeSplitHistory(inner, streamId);
  const store = withUpcasting(inner, splitChain);
  const wanted = splitRead.filter(([, type]) => type === 'order.placed' || type === 'order.shipping-set');

  const first = projection(store, inner.checkpoints);
  // batchSize 1 counts stored events: a page of a split event holds its two or three parts, and
  // one catchUp goes on past such a page, to the end; the checkpoint is always a whole stored
  // event's position.
  await first.runner.catchUp();
  const stored = await inner.readStream(streamId);
  expect(first.runner.status().checkpoint).toBe(stored[3]!.position);
  expect(first.seen.map((e) => [e.version, e.type, e.schemaVersion, e.data])).toEqual(wanted);

  // A runner restarted on the same checkpoint (as after a crash) reads only what came after.
  await inner.append(streamId, [
    { type: 'order.placed', data: { item: 'pie', address: 'Oslo' }, schemaVersion: 1 },
  ]);
  const restarted = projection(store, inner.checkpoints);
  await restarted.runner.catchUp();
  expect(restarted.seen.map((e) => [e.version, e.type, e.data])).toEqual([
    [5, 'order.placed', { item: 'pie', qty: 1 }],
    [5, 'order.shipping-set', { address: 'Oslo' }],
  ]);
  const ids = [...first.seen, ...restarted.seen].map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  await inner.close();
});
