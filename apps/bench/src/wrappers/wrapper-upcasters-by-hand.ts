import type { EventStore, RecordedEvent } from '@strata/core';
import { CURRENT_VERSION, CUSTOMER_EVENT, defaultPlan, renameFullName } from './wrapper-events.js';
import { withReadTransform } from './wrapper-read-transform.js';

/**
 * The bench's two upcasters run by hand on events stored two versions old, in place (a read hands
 * out fresh objects, so the event is ours to change): the user's own functions, which any upcasting
 * of these events must run, and nothing else. No checks (version, type, result): a yardstick for
 * `withUpcasting`, valid for the bench's version-1 rows only, checked against it once a run.
 */
export function upcastInPlace(events: RecordedEvent[]): RecordedEvent[] {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    event.data = defaultPlan(renameFullName(event.data as { full_name: string }));
    event.type = CUSTOMER_EVENT;
    event.schemaVersion = CURRENT_VERSION;
  }
  return events;
}

/**
 * `store`, each read's events upcast in place by hand after the store's read: the floor of a read of
 * old events, what upcasting them costs at least with these upcasters.
 */
export function withUpcastersByHand(store: EventStore): EventStore {
  return withReadTransform(store, upcastInPlace);
}
