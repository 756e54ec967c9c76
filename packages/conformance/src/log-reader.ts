import { type EventStore, iterateAll, type RecordedEvent } from '@strata/core';
import { uniqueEventType, uniqueStreamId } from './unique-names.js';

/**
 * A position at or after the current end of the log, taken from the test's own append. The log
 * may already hold millions of events of other runs, so tests read from here, never from 0.
 */
export async function markLogPosition(store: EventStore): Promise<bigint> {
  const result = await store.append(uniqueStreamId('marker'), [
    { type: uniqueEventType('marker'), data: null },
  ]);
  return result.lastPosition;
}

/** The test's own events after `after`, in log order: other writers' events are filtered out. */
export async function readOwnEvents(
  store: EventStore,
  after: bigint,
  streamIds: Iterable<string>,
  batchSize = 500,
): Promise<RecordedEvent[]> {
  const own = new Set(streamIds);
  const events: RecordedEvent[] = [];
  for await (const event of iterateAll(store, { after, batchSize })) {
    if (own.has(event.streamId)) events.push(event);
  }
  return events;
}

/** True when every position is greater than the one before it. */
export function isStrictlyIncreasing(positions: readonly bigint[]): boolean {
  return positions.every((position, i) => i === 0 || position > (positions[i - 1] ?? -1n));
}
