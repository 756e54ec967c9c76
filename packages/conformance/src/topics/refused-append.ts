import {
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  StoreUnavailableError,
  ValidationError,
} from '@strata/core';
import { describe, expect } from 'vitest';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition } from '../log-reader.js';
import { describeError, type Outcome, settle } from '../outcome.js';
import { skipWithoutOption } from '../skip-without-option.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventId, uniqueEventType, uniqueStreamId } from '../unique-names.js';

/**
 * An append the storage refuses (`options.refusedEvent`) can never succeed: it gets a
 * `ValidationError`, never a retryable error, writes nothing, and never takes the appends sent
 * with it down too (adapters that write concurrent appends in one transaction must isolate it).
 */
export function describeRefusedAppend(options: EventStoreConformanceOptions): void {
  describe('an append the storage refuses', () => {
    const { refusedEvent } = options;
    if (refusedEvent === undefined) {
      skipWithoutOption('refusedEvent', 'refused append');
      return;
    }
    const fixture = useStoreFixture(options);
    const { raceRepetitions } = resolveScale(options);

    /** Two good events of `type` with the refused one between them. */
    function offendingBatch(type: string): NewEvent[] {
      const [first, last] = makeEvents(2, type);
      return [first!, { ...refusedEvent!(), id: uniqueEventId() }, last!];
    }

    async function expectRefused(call: () => Promise<unknown>): Promise<void> {
      const outcome = await settle(call);
      expect(outcome.ok, 'the refused append must fail').toBe(false);
      if (!outcome.ok) expectRefusalError(outcome.error);
    }

    kitTest('alone, it fails with ValidationError and writes nothing; its ids stay free', async () => {
      const store = await fixture.open();
      const after = await markLogPosition(store);
      const streamId = uniqueStreamId('refused');
      const type = uniqueEventType('refused');
      const batch = offendingBatch(type);
      await expectRefused(() => store.append(streamId, batch));
      expect(await store.streamVersion(streamId)).toBe(0);
      expect(await store.readStream(streamId)).toEqual([]);
      expect(await store.readAll({ after, types: [type] })).toEqual([]);
      const good = [batch[0]!, batch[2]!];
      await expect(store.append(streamId, good, { expectedVersion: 'no_stream' })).resolves.toMatchObject({
        firstVersion: 1,
        lastVersion: 2,
      });
    });

    kitTest('on an existing stream, the stream stays as it was and takes the next append', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('refused');
      await store.append(streamId, makeEvents(2, uniqueEventType('refused-before')));
      await expectRefused(() =>
        store.append(streamId, offendingBatch(uniqueEventType('refused')), { expectedVersion: 2 }),
      );
      expect(versionsOf(await store.readStream(streamId))).toEqual([1, 2]);
      await expect(
        store.append(streamId, makeEvents(1, uniqueEventType('refused-after')), { expectedVersion: 2 }),
      ).resolves.toMatchObject({ firstVersion: 3, lastVersion: 3 });
    });

    kitTest(
      `among concurrent appends, it fails alone and the others commit (${raceRepetitions} rounds)`,
      async () => {
        const store = await fixture.open();
        for (let round = 0; round < raceRepetitions; round++) await concurrentRound(store);
      },
    );

    async function concurrentRound(store: EventStore): Promise<void> {
      const after = await markLogPosition(store);
      const shared = uniqueStreamId('refused-shared');
      const exact = uniqueStreamId('refused-exact');
      const type = uniqueEventType('refused-innocent');
      const offenderType = uniqueEventType('refused-offender');
      const sharedFirst = makeEvents(1, type);
      await store.append(shared, sharedFirst);
      await store.append(exact, makeEvents(1, type));

      const innocent = (streamId: string, count: number, expectedVersion: ExpectedVersion) => ({
        streamId,
        events: makeEvents(count, type),
        expectedVersion,
      });
      const innocents = [
        innocent(uniqueStreamId('refused-new'), 1, 'no_stream'),
        innocent(shared, 2, 'any'),
        innocent(uniqueStreamId('refused-new'), 2, 'no_stream'),
        innocent(exact, 1, 1),
        innocent(shared, 1, 'any'),
        innocent(uniqueStreamId('refused-new'), 3, 'any'),
        innocent(uniqueStreamId('refused-new'), 1, 0),
      ];
      const offender = offendingBatch(offenderType);
      // The offender goes out in the middle, so that a store grouping concurrent appends puts it
      // in a group with innocents before and after it.
      const calls: Promise<Outcome<AppendResult>>[] = innocents.map(({ streamId, events, expectedVersion }) =>
        settle(() => store.append(streamId, events, { expectedVersion })),
      );
      calls.splice(
        3,
        0,
        settle(() => store.append(shared, offender, { expectedVersion: 'any' })),
      );
      const outcomes = await Promise.all(calls);
      const [offenderOutcome] = outcomes.splice(3, 1);

      const failures = outcomes.flatMap((outcome, i) =>
        outcome.ok ? [] : [`${innocents[i]!.streamId}: ${describeError(outcome.error)}`],
      );
      expect(failures, 'appends sent with the refused one must commit').toEqual([]);
      expect(offenderOutcome!.ok, 'the refused append must fail').toBe(false);
      if (!offenderOutcome!.ok) expectRefusalError(offenderOutcome!.error);

      for (const { streamId, events } of innocents) {
        if (streamId === shared || streamId === exact) continue;
        const read = await store.readStream(streamId);
        expect(idsOf(read), `stream ${streamId}`).toEqual(idsOf(events));
        expect(versionsOf(read)).toEqual(range(1, events.length));
      }
      expect(idsOf(await store.readStream(exact))).toHaveLength(2);
      const sharedRead = await store.readStream(shared);
      expect(versionsOf(sharedRead), 'the shared stream: contiguous, without the refused batch').toEqual(
        range(1, 4),
      );
      const sharedIds = new Set(idsOf(sharedRead));
      const expectedShared = [sharedFirst, innocents[1]!.events, innocents[4]!.events].flatMap(idsOf);
      expect([...sharedIds].sort()).toEqual([...expectedShared].sort());
      expect(await store.readAll({ after, types: [offenderType] }), 'nothing of the refused batch').toEqual(
        [],
      );
    }
  });
}

function expectRefusalError(error: unknown): void {
  const shown = describeError(error);
  expect(StoreUnavailableError.isInstance(error), `a refusal is not retryable: got ${shown}`).toBe(false);
  expect(ConcurrencyError.isInstance(error), `a refusal is not a conflict: got ${shown}`).toBe(false);
  expect(ValidationError.isInstance(error), `the refused append must get ValidationError, got ${shown}`).toBe(
    true,
  );
}
