import type { EventStore, RecordedEvent } from '@strata/core';
import { uniqueEventType, uniqueStreamId } from './unique-names.js';

/**
 * More pages than any test's own part of the log needs, even on a busy shared database: a reader
 * that gets this far is going round in circles, and must fail instead of running out of memory.
 */
const MAX_PAGES = 2_000;

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

/**
 * Every event after `after` to the end of the log (those `keep` accepts), in pages of `pageSize`. Unlike core's
 * `iterateAll` it trusts nothing: a page holding a position at or before its `after` (so the reader
 * would not move forward), or more pages than any test needs, fails with a message naming the call.
 */
export async function readLogPages(
  store: EventStore,
  options: { after: bigint; pageSize: number; types?: string[]; keep?: (event: RecordedEvent) => boolean },
): Promise<RecordedEvent[]> {
  const { pageSize, types, keep } = options;
  const events: RecordedEvent[] = [];
  let after = options.after;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const call = { after, limit: pageSize, ...(types === undefined ? {} : { types }) };
    const page = await store.readAll(call);
    assertPageAfter(page, after, call);
    events.push(...(keep === undefined ? page : page.filter(keep)));
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined) return events;
    after = last.position;
  }
  throw new Error(
    `readAll paging from position ${options.after} did not reach the end of the log in ${MAX_PAGES} pages of ${pageSize}`,
  );
}

/** Throws unless every event of `page` is after `after` and no bigger than `limit` allows. */
export function assertPageAfter(
  page: readonly RecordedEvent[],
  after: bigint,
  call: { after: bigint; limit?: number },
): void {
  if (call.limit !== undefined && page.length > call.limit) {
    throw new Error(`readAll(${describeCall(call)}) returned ${page.length} events, more than its limit`);
  }
  const behind = page.find((event) => typeof event.position !== 'bigint' || event.position <= after);
  if (behind !== undefined) {
    throw new Error(
      `readAll(${describeCall(call)}) returned an event at position ${String(behind.position)}, which is not after ${after}: after is exclusive`,
    );
  }
}

function describeCall(call: { after: bigint; limit?: number }): string {
  return `{ after: ${call.after}n${call.limit === undefined ? '' : `, limit: ${call.limit}`} }`;
}

/** The test's own events after `after`, in log order: other writers' events are filtered out. */
export async function readOwnEvents(
  store: EventStore,
  after: bigint,
  streamIds: Iterable<string>,
  pageSize = 500,
): Promise<RecordedEvent[]> {
  const own = new Set(streamIds);
  return readLogPages(store, { after, pageSize, keep: (event) => own.has(event.streamId) });
}

/** True when every position is greater than the one before it. */
export function isStrictlyIncreasing(positions: readonly bigint[]): boolean {
  return positions.every((position, i) => i === 0 || position > (positions[i - 1] ?? -1n));
}
