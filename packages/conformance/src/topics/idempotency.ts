import {
  type AppendResult,
  DuplicateEventError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  ValidationError,
} from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition, readOwnEvents } from '../log-reader.js';
import { expectRejection } from '../outcome.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventId, uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** Resending a committed batch is safe; reusing its ids any other way is refused. */
export function describeIdempotency(options: EventStoreConformanceOptions): void {
  describe('idempotency', () => {
    const fixture = useStoreFixture(options);
    const type = uniqueEventType('idempotency');

    /** Sends `events` again; only the result's fields count (a retry reports no `events`). */
    async function resend(
      store: EventStore,
      streamId: string,
      events: NewEvent[],
      expected: ExpectedVersion,
    ) {
      return resultFields(await store.append(streamId, events, { expectedVersion: expected }));
    }

    /** Asserts the stream and the log are exactly as they were before `change`. */
    async function expectUnchanged(store: EventStore, streamIds: string[], change: () => Promise<void>) {
      const after = await markLogPosition(store);
      const before = await Promise.all(streamIds.map((id) => store.readStream(id)));
      await change();
      expect(await Promise.all(streamIds.map((id) => store.readStream(id)))).toEqual(before);
      expect(await readOwnEvents(store, after, streamIds)).toEqual([]);
    }

    kitTest('resending a committed batch returns the original result and writes nothing', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('retry');
      const events = makeEvents(3, type);
      const original = await store.append(streamId, events, { expectedVersion: 'no_stream' });
      await expectUnchanged(store, [streamId], async () => {
        expect(await resend(store, streamId, events, 'no_stream')).toEqual(resultFields(original));
        expect(await resend(store, streamId, events, 'no_stream')).toEqual(resultFields(original));
      });
    });

    kitTest('a resend whose expected version is now stale still returns the original result', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('retry');
      await store.append(streamId, makeEvents(2, type));
      const events = makeEvents(2, type);
      const original = await store.append(streamId, events, { expectedVersion: 2 });
      await store.append(streamId, makeEvents(3, type), { expectedVersion: 4 });
      await expectUnchanged(store, [streamId], async () => {
        expect(await resend(store, streamId, events, 2)).toEqual(resultFields(original));
        expect(await resend(store, streamId, events, 'no_stream')).toEqual(resultFields(original));
        expect(await resend(store, streamId, events, 'stream_exists')).toEqual(resultFields(original));
      });
      expect(original).toMatchObject({ firstVersion: 3, lastVersion: 4 });
    });

    kitTest(
      "a resend with 'any' returns the original result, also for a batch in the middle of the stream",
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('retry');
        const batches = [makeEvents(2, type), makeEvents(1, type), makeEvents(3, type)];
        const results: AppendResult[] = [];
        for (const events of batches) results.push(await store.append(streamId, events));
        await expectUnchanged(store, [streamId], async () => {
          for (const [i, events] of batches.entries()) {
            expect(await resend(store, streamId, events, 'any')).toEqual(resultFields(results[i]!));
          }
        });
        expect(versionsOf(await store.readStream(streamId))).toEqual(range(1, 6));
      },
    );

    kitTest('a batch reusing an event id of another stream is a DuplicateEventError', async () => {
      const store = await fixture.open();
      const owner = uniqueStreamId('owner');
      const events = makeEvents(2, type);
      await store.append(owner, events);
      const streamId = uniqueStreamId('thief');
      await expectUnchanged(store, [owner, streamId], async () => {
        const error = await expectRejection(() => store.append(streamId, events), DuplicateEventError);
        expect(error.code).toBe('STRATA_DUPLICATE_EVENT');
        expect(error.eventId).toBe(events[0]!.id);
        expect(error.streamId).toBe(streamId);
        if (error.existingStreamId !== undefined) expect(error.existingStreamId).toBe(owner);
      });
    });

    kitTest('a batch that overlaps a committed one only partly is a DuplicateEventError', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('overlap');
      const committed = makeEvents(2, type);
      await store.append(streamId, committed);
      const [fresh] = makeEvents(1, type);
      await expectUnchanged(store, [streamId], async () => {
        // The committed ids plus one new id.
        const plusOne = await expectRejection(
          () => store.append(streamId, [...committed, fresh!]),
          DuplicateEventError,
        );
        expect(plusOne.eventId).toBe(committed[0]!.id);
        // A new id first, then a committed one.
        const newFirst = await expectRejection(
          () => store.append(streamId, [fresh!, committed[1]!]),
          DuplicateEventError,
        );
        expect(newFirst.eventId).toBe(committed[1]!.id);
      });
    });

    kitTest('the committed ids in another order are a DuplicateEventError', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('reordered');
      const committed = makeEvents(3, type);
      await store.append(streamId, committed);
      await expectUnchanged(store, [streamId], async () => {
        await expectRejection(() => store.append(streamId, [...committed].reverse()), DuplicateEventError);
      });
    });

    kitTest(
      'ids from two different committed batches that are not consecutive are a DuplicateEventError',
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('gapped');
        const first = makeEvents(1, type);
        const middle = makeEvents(1, type);
        const last = makeEvents(1, type);
        for (const events of [first, middle, last]) await store.append(streamId, events);
        await expectUnchanged(store, [streamId], async () => {
          await expectRejection(() => store.append(streamId, [first[0]!, last[0]!]), DuplicateEventError);
        });
      },
    );

    kitTest(
      'event ids differing only by case are different ids, in one batch and across streams',
      async () => {
        const store = await fixture.open();
        const id = `${uniqueEventId()}-event`;
        const [lower, upper, mixed] = [id.toLowerCase(), id.toUpperCase(), `${id.toLowerCase()}-Event`];
        const first = uniqueStreamId('case-a');
        const second = uniqueStreamId('case-b');
        await store.append(first, [{ id: lower, type, data: 1 }]);
        const result = await store.append(second, [
          { id: upper, type, data: 2 },
          { id: mixed, type, data: 3 },
        ]);
        expect(result).toMatchObject({ streamId: second, firstVersion: 1, lastVersion: 2 });
        expect(idsOf(await store.readStream(first))).toEqual([lower]);
        expect(idsOf(await store.readStream(second))).toEqual([upper, mixed]);
        // Each is an idempotent retry of its own batch only.
        expect(await resend(store, first, [{ id: lower, type, data: 1 }], 'any')).toMatchObject({
          streamId: first,
          firstVersion: 1,
        });
      },
    );

    kitTest('the same id twice within one batch is a ValidationError, and nothing is written', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('twice');
      const [event, other] = makeEvents(2, type);
      await expectUnchanged(store, [streamId], async () => {
        const error = await expectRejection(
          () => store.append(streamId, [event!, other!, { ...event!, data: { n: 3 } }]),
          ValidationError,
        );
        expect(error.path).toBe('events[2].id');
      });
      expect(await store.streamVersion(streamId)).toBe(0);
    });
  });
}
