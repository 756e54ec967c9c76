import type { EventStore } from '@strata/core';
import type { TestContext } from 'vitest';

/** Why a test of `lastPosition()` did not run, shown as its skip note. */
export const NO_LAST_POSITION =
  'the adapter has no lastPosition() (an optional method): this test did not run';

/** The store's `lastPosition()`, or the test ends as skipped with a note when the adapter has none. */
export async function lastPositionOrSkip(store: EventStore, context: TestContext): Promise<bigint> {
  if (typeof store.lastPosition !== 'function') context.skip(NO_LAST_POSITION);
  return store.lastPosition();
}
