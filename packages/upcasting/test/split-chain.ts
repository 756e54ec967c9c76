import type { EventStore } from '@strata/core';
import { defineUpcasters } from '../src/index.js';

// An order used to carry its shipping address (v1, v2); today the address is an event of its own.
// An older program had `OrderWithNote`, which today reads as an order (then split again) and a note.
export const splitChain = defineUpcasters(
  { 'order.placed': 3, 'order.shipping-set': 1, 'order.note-added': 1, 'order.cancelled': 2 },
  [
    {
      type: 'order.placed',
      fromVersion: 1,
      upcast: (data: { item: string; address: string }) => ({ ...data, qty: 1 }),
    },
    {
      type: 'order.placed',
      fromVersion: 2,
      into: [
        { type: 'order.placed', version: 3 },
        { type: 'order.shipping-set', version: 1 },
      ],
      split: ({ item, qty, address }: { item: string; qty: number; address: string }) => [
        { item, qty },
        { address },
      ],
    },
    {
      type: 'OrderWithNote',
      fromVersion: 1,
      into: [
        { type: 'order.placed', version: 2 },
        { type: 'order.note-added', version: 1 },
      ],
      split: ({ item, address, note }: { item: string; address: string; note: string }) => [
        { item, address, qty: 1 },
        { note },
      ],
    },
    { type: 'order.cancelled', fromVersion: 1, upcast: () => ({ reason: 'unknown' }) },
  ],
);

/** The stream as older programs stored it, past any wrapper: four stored events, seven read. */
export async function writeSplitHistory(inner: EventStore, streamId: string) {
  await inner.append('other-stream', [{ type: 'unrelated', data: {} }]);
  return inner.append(
    streamId,
    [
      { type: 'order.placed', data: { item: 'tea', address: 'Paris' }, schemaVersion: 1 },
      { type: 'order.placed', data: { item: 'cake', qty: 2 }, schemaVersion: 3 },
      { type: 'OrderWithNote', data: { item: 'jam', address: 'Lyon', note: 'gift' } },
      { type: 'order.shipping-set', data: { address: 'Nice' } },
    ],
    { streamType: 'order' },
  );
}

/** What a read of that stream gives: version, type, schema version and data of each event. */
export const splitRead = [
  [1, 'order.placed', 3, { item: 'tea', qty: 1 }],
  [1, 'order.shipping-set', 1, { address: 'Paris' }],
  [2, 'order.placed', 3, { item: 'cake', qty: 2 }],
  [3, 'order.placed', 3, { item: 'jam', qty: 1 }],
  [3, 'order.shipping-set', 1, { address: 'Lyon' }],
  [3, 'order.note-added', 1, { note: 'gift' }],
  [4, 'order.shipping-set', 1, { address: 'Nice' }],
];
