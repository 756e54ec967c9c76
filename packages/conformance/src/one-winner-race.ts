import {
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@strata/core';
import { expect } from 'vitest';
import { describeError, type Outcome, settle } from './outcome.js';
import { idsOf, makeEvents, range, versionsOf } from './test-events.js';
import { uniqueEventType } from './unique-names.js';

/** How many appenders race in each round. */
export const RACE_WRITERS = 8;
const WRITERS = RACE_WRITERS;

/**
 * Runs `WRITERS` appenders round-robin over `stores`, all expecting `expectedVersion` on a stream
 * at `currentVersion`, and asserts one winner and `WRITERS - 1` well-formed ConcurrencyErrors.
 */
export async function expectOneWinner(
  reader: EventStore,
  stores: readonly EventStore[],
  streamId: string,
  expectedVersion: ExpectedVersion,
  currentVersion: number,
): Promise<void> {
  const type = uniqueEventType('race');
  const batches: NewEvent[][] = Array.from({ length: WRITERS }, () => makeEvents(2, type));
  const outcomes: Outcome<AppendResult>[] = await Promise.all(
    batches.map((events, i) =>
      settle(() => stores[i % stores.length]!.append(streamId, events, { expectedVersion })),
    ),
  );
  const winners = outcomes.flatMap((outcome, i) => (outcome.ok ? [i] : []));
  const wrongErrors = outcomes.flatMap((outcome) =>
    !outcome.ok && !ConcurrencyError.isInstance(outcome.error) ? [describeError(outcome.error)] : [],
  );
  expect(wrongErrors, 'losers must get ConcurrencyError').toEqual([]);
  expect(winners, 'exactly one appender wins').toHaveLength(1);

  const winner = winners[0]!;
  const read = await reader.readStream(streamId);
  expect(versionsOf(read)).toEqual(range(1, currentVersion + 2));
  expect(idsOf(read.slice(currentVersion))).toEqual(idsOf(batches[winner]!));
  for (const outcome of outcomes) {
    if (outcome.ok) {
      expect(outcome.value).toMatchObject({
        streamId,
        firstVersion: currentVersion + 1,
        lastVersion: currentVersion + 2,
      });
    } else {
      const error = outcome.error as ConcurrencyError;
      expect(error.streamId).toBe(streamId);
      expect(error.expectedVersion).toBe(expectedVersion);
      expect(error.actualVersion).toBe(currentVersion + 2);
    }
  }
}
