import { AggregateRoot, type EventHandlers } from '@strata/core';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export type OrderStatus = 'open' | 'paid' | 'shipped' | 'cancelled';

export type OrderEvent =
  | { type: 'order.placed'; data: { userId: string; placedAt: Date; deliverTo?: string } }
  | { type: 'order.item_added'; data: OrderLine }
  | { type: 'order.paid'; data: { amountCents: number } }
  | { type: 'order.shipped'; data: { carrier: string } }
  | { type: 'order.cancelled'; data: { reason: string } };

/** A rule of the business was broken; the command recorded nothing. */
export class OrderRuleError extends Error {
  override name = 'OrderRuleError';
}

export class Order extends AggregateRoot<OrderEvent> {
  userId = '';
  deliverTo: string | undefined;
  status: OrderStatus = 'open';
  lines: OrderLine[] = [];

  protected readonly handlers: EventHandlers<OrderEvent> = {
    'order.placed': ({ userId, deliverTo }) => {
      this.userId = userId;
      this.deliverTo = deliverTo;
    },
    'order.item_added': (line) => {
      this.lines.push(line);
    },
    'order.paid': () => {
      this.status = 'paid';
    },
    'order.shipped': () => {
      this.status = 'shipped';
    },
    'order.cancelled': () => {
      this.status = 'cancelled';
    },
  };

  get totalCents(): number {
    return this.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  }

  place(userId: string, deliverTo?: string): void {
    if (this.version > 0) throw new OrderRuleError(`order ${this.id} was already placed`);
    this.record('order.placed', {
      userId,
      placedAt: new Date(),
      ...(deliverTo === undefined ? {} : { deliverTo }),
    });
  }

  addItem(line: OrderLine): void {
    if (this.status !== 'open') throw new OrderRuleError(`cannot add items to a ${this.status} order`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      throw new OrderRuleError('quantity must be >= 1');
    this.record('order.item_added', line);
  }

  pay(): void {
    if (this.status !== 'open') throw new OrderRuleError(`cannot pay a ${this.status} order`);
    if (this.lines.length === 0) throw new OrderRuleError('cannot pay an empty order');
    this.record('order.paid', { amountCents: this.totalCents });
  }

  ship(carrier: string): void {
    if (this.status !== 'paid') throw new OrderRuleError(`cannot ship a ${this.status} order`);
    this.record('order.shipped', { carrier });
  }

  cancel(reason: string): void {
    if (this.status === 'shipped' || this.status === 'cancelled') {
      throw new OrderRuleError(`cannot cancel a ${this.status} order`);
    }
    this.record('order.cancelled', { reason });
  }
}
