import type { AppendResult, RecordedEvent } from '@strata/core';
import type { TestContext } from 'vitest';

/** Why a test of `AppendResult.events` did not run, shown as its skip note. */
export const NO_APPENDED_EVENTS =
  'the adapter returns no AppendResult.events (an optional field): this test did not run';

/**
 * `result.events`, or the test ends as skipped, visibly in the report: the field is optional, and
 * an adapter without it must not look as if it passed these tests.
 */
export function eventsOrSkip(result: AppendResult, context: TestContext): readonly RecordedEvent[] {
  const { events } = result;
  if (events === undefined) context.skip(NO_APPENDED_EVENTS);
  return events;
}
