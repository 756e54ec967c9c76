import type { EventStore } from '@strata/core';
import { defineProjector, withRealtimeProjector } from '@strata/projections';
import { MemoryCheckpointStore } from '@strata/store-memory';
import type { OrderEvent } from '../src/domain/order.js';
import type { OrderSummaries, OrderSummary } from '../src/read-models/order-summaries.js';

/**
 * The order summaries for the memory store, which has no transaction to share: a realtime
 * projector applied right after each append commits, before `append` returns, into a Map.
 */
export function withMemoryOrderSummaries(store: EventStore): {
  store: EventStore;
  summaries: OrderSummaries;
} {
  const rows = new Map<string, OrderSummary>();
  const row = (orderId: string) => rows.get(orderId)!;
  const setStatus = (orderId: string, status: OrderSummary['status']) => {
    row(orderId).status = status;
  };
  const projector = defineProjector<OrderEvent>({
    name: 'order-summaries',
    handlers: {
      'order.placed': (_placed, event) => {
        rows.set(event.streamId, { orderId: event.streamId, status: 'open', lines: 0, totalCents: 0 });
      },
      'order.item_added': ({ quantity, unitPriceCents }, event) => {
        row(event.streamId).lines += 1;
        row(event.streamId).totalCents += quantity * unitPriceCents;
      },
      'order.paid': (_paid, event) => setStatus(event.streamId, 'paid'),
      'order.shipped': (_shipped, event) => setStatus(event.streamId, 'shipped'),
      'order.cancelled': (_cancelled, event) => setStatus(event.streamId, 'cancelled'),
    },
  });
  const wrapped = withRealtimeProjector(store, { projector, checkpoints: new MemoryCheckpointStore() });
  return {
    store: wrapped.store,
    summaries: {
      how: 'a Map in memory, written right after each append commits',
      list: async () => [...rows.values()].sort((a, b) => a.orderId.localeCompare(b.orderId)),
      status: () => wrapped.realtime.status(),
    },
  };
}
