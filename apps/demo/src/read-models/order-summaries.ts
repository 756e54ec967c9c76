import type { RealtimeStatus } from '@strata/projections';
import type { OrderStatus } from '../domain/order.js';

/** One order as the realtime read model keeps it. */
export interface OrderSummary {
  orderId: string;
  status: OrderStatus;
  lines: number;
  totalCents: number;
}

/** A realtime read model of the orders, attached to the store before the story appends anything. */
export interface OrderSummaries {
  /** How it is kept current, for the story to say. */
  readonly how: string;
  /** Every order, by id. */
  list(): Promise<OrderSummary[]>;
  status(): RealtimeStatus;
}
