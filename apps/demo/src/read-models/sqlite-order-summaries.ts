import { attachRealtimeProjector, defineProjector } from '@strata/projections';
import type { SqliteDatabase, SqliteEventStore } from '@strata/store-sqlite';
import type { OrderEvent } from '../domain/order.js';
import { createDemoRegistry } from '../domain/registry.js';
import type { OrderSummaries, OrderSummary } from './order-summaries.js';

const TABLE = 'demo_order_summaries';

/**
 * The order summaries as a table in the store's own SQLite file, written by a realtime projector
 * inside each append's transaction: an order's events and its row commit together or not at all,
 * and a handler that throws refuses the append. SQLite transactions are synchronous, so are the
 * handlers.
 */
export async function attachSqliteOrderSummaries(store: SqliteEventStore): Promise<OrderSummaries> {
  await store.checkpoints.runInTransaction((db) => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (
         order_id TEXT PRIMARY KEY, status TEXT NOT NULL, lines INTEGER NOT NULL, total_cents INTEGER NOT NULL)`,
    );
  });
  const setStatus = (db: SqliteDatabase, orderId: string, status: string): void => {
    db.prepare(`UPDATE ${TABLE} SET status = ? WHERE order_id = ?`).run(status, orderId);
  };
  const projector = defineProjector<OrderEvent, SqliteDatabase>({
    name: 'order-summaries',
    registry: createDemoRegistry(),
    handlers: {
      'order.placed': (_placed, event, db) => {
        db.prepare(
          `INSERT INTO ${TABLE} (order_id, status, lines, total_cents) VALUES (?, 'open', 0, 0)`,
        ).run(event.streamId);
      },
      'order.item_added': ({ quantity, unitPriceCents }, event, db) => {
        db.prepare(
          `UPDATE ${TABLE} SET lines = lines + 1, total_cents = total_cents + ? WHERE order_id = ?`,
        ).run(quantity * unitPriceCents, event.streamId);
      },
      'order.paid': (_paid, event, db) => setStatus(db, event.streamId, 'paid'),
      'order.shipped': (_shipped, event, db) => setStatus(db, event.streamId, 'shipped'),
      'order.cancelled': (_cancelled, event, db) => setStatus(db, event.streamId, 'cancelled'),
    },
  });
  const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
  return {
    how: `a table in the same SQLite file, written inside each append's transaction`,
    list: () =>
      store.checkpoints.runInTransaction(
        (db) =>
          db
            .prepare(
              `SELECT order_id AS orderId, status, lines, total_cents AS totalCents FROM ${TABLE} ORDER BY order_id`,
            )
            .all() as OrderSummary[],
      ),
    status: () => realtime.status(),
  };
}
