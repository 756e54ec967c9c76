import { EventRegistry } from '@strata/core';

/** Every event type of the demo, under stable names that outlive class and file renames. */
export function createDemoRegistry(): EventRegistry {
  return (
    new EventRegistry()
      // Version 1, written by the shop's first program, named the user's name `full_name`.
      .register('user.registered', { schemaVersion: 2 })
      .register('user.email_changed')
      .register('order.placed')
      .register('order.item_added')
      .register('order.paid')
      .register('order.shipped')
      .register('order.cancelled')
      .register('loyalty.joined')
      .register('loyalty.points_earned')
  );
}
