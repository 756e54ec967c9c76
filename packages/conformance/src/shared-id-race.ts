import { type AppendResult, DuplicateEventError, type EventStore } from '@strata/core';
import { expect } from 'vitest';
import { markLogPosition } from './log-reader.js';
import { RACE_WRITERS } from './one-winner-race.js';
import { describeError, type Outcome, settle } from './outcome.js';
import { idsOf, makeEvents } from './test-events.js';
import { uniqueEventType, uniqueStreamId } from './unique-names.js';

/**
 * Runs `RACE_WRITERS` appenders round-robin over `stores`, each sending the same events (same ids)
 * to a different new stream, and asserts that one stream gets them and every other append is a
 * `DuplicateEventError` that wrote nothing: event ids are unique across the store, also when the
 * appends that check them run at once. A lock on the stream alone does not give that.
 */
export async function expectOneIdOwner(reader: EventStore, stores: readonly EventStore[]): Promise<void> {
  const type = uniqueEventType('id-race');
  const events = makeEvents(2, type);
  const ids = idsOf(events);
  const streamIds = Array.from({ length: RACE_WRITERS }, () => uniqueStreamId('id-race'));
  const after = await markLogPosition(reader);
  const outcomes: Outcome<AppendResult>[] = await Promise.all(
    streamIds.map((streamId, i) => settle(() => stores[i % stores.length]!.append(streamId, events))),
  );
  const winners = outcomes.flatMap((outcome, i) => (outcome.ok ? [streamIds[i]!] : []));
  const wrongErrors = outcomes.flatMap((outcome) =>
    !outcome.ok && !DuplicateEventError.isInstance(outcome.error) ? [describeError(outcome.error)] : [],
  );
  expect(wrongErrors, 'losers must get DuplicateEventError').toEqual([]);
  expect(winners, 'exactly one stream gets the event ids').toHaveLength(1);

  const winner = winners[0]!;
  expect(idsOf(await reader.readStream(winner))).toEqual(ids);
  expect(idsOf(await reader.readAll({ after, types: [type] })), 'the ids are in the log once').toEqual(ids);
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.ok) continue;
    const error = outcome.error as DuplicateEventError;
    expect(ids).toContain(error.eventId);
    expect(error.streamId).toBe(streamIds[i]);
    if (error.existingStreamId !== undefined) expect(error.existingStreamId).toBe(winner);
    expect(await reader.streamVersion(streamIds[i]!), 'a refused stream stays empty').toBe(0);
  }
}
