import { AggregateRoot, type EventHandlers } from '@strata/core';

export type LoyaltyEvent =
  | { type: 'loyalty.joined'; data: { userId: string } }
  | { type: 'loyalty.points_earned'; data: { points: number; orderId: string } };

interface LoyaltyState {
  userId: string;
  points: number;
  earnings: number;
}

/** A long-lived aggregate: one event per purchase for years, so it loads from a snapshot. */
export class LoyaltyAccount extends AggregateRoot<LoyaltyEvent> {
  userId = '';
  points = 0;
  earnings = 0;

  protected readonly handlers: EventHandlers<LoyaltyEvent> = {
    'loyalty.joined': ({ userId }) => {
      this.userId = userId;
    },
    'loyalty.points_earned': ({ points }) => {
      this.points += points;
      this.earnings++;
    },
  };

  join(userId: string): void {
    if (this.version > 0) throw new Error(`${this.id} has already joined`);
    this.record('loyalty.joined', { userId });
  }

  earn(points: number, orderId: string): void {
    this.record('loyalty.points_earned', { points, orderId });
  }

  protected override snapshotState(): LoyaltyState {
    return { userId: this.userId, points: this.points, earnings: this.earnings };
  }

  protected override restoreState(state: unknown): void {
    ({ userId: this.userId, points: this.points, earnings: this.earnings } = state as LoyaltyState);
  }
}
