import type { EventStore, NewEvent } from '@strata/core';
import { defineUpcasters } from '../src/index.js';
import { userRegisteredUpcasters } from './user-registered-upcasters.js';

// The history the migration tests write: every stored shape of `user.registered` (see
// user-registered-upcasters.ts); `order.placed` is current at 1 and has no upcasters; `audit.note`
// is a type the chain does not know.
export const migrationChain = defineUpcasters(
  { 'user.registered': 3, 'order.placed': 1 },
  userRegisteredUpcasters,
);

/** The i-th event of the mixed history: every stored shape, in turn. */
export function historicEvent(i: number): NewEvent {
  switch (i % 5) {
    case 0:
      return { type: 'UserCreated', data: { full_name: `Ada Lovelace ${i}` }, metadata: { i } };
    case 1:
      return { type: 'user.registered', data: { name: `Grace Hopper ${i}` }, metadata: { i } };
    case 2:
      return { type: 'user.registered', schemaVersion: 2, data: { first: 'Alan', last: `Turing ${i}` } };
    case 3:
      return {
        type: 'user.registered',
        schemaVersion: 3,
        data: { first: 'Edsger', last: `Dijkstra ${i}`, locale: 'nl' },
      };
    default:
      return i % 2 === 0
        ? { type: 'order.placed', data: { total: i } }
        : { type: 'audit.note', schemaVersion: 7, data: { note: i } };
  }
}

/** `count` events in streams of ten, written past any wrapper, as older programs did. */
export async function writeHistory(store: EventStore, prefix: string, count: number): Promise<void> {
  for (let first = 0; first < count; first += 10) {
    const events = Array.from({ length: Math.min(10, count - first) }, (_, j) => historicEvent(first + j));
    await store.append(`${prefix}-${first / 10}`, events);
  }
}
