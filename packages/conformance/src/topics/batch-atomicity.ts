import { ConcurrencyError, DuplicateEventError, type EventStore, ValidationError } from '@strata/core';
import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition } from '../log-reader.js';
import { expectRejection } from '../outcome.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/**
 * Larger than the chunk an adapter may be tempted to commit on its own (a statement's 65,535
 * bind parameters hold about 5,000 rows of a dozen columns), so one failing late shows whether the
 * chunks before it were rolled back.
 */
const LARGE_BATCH = 6_000;

/** An append writes all of its events or none, whichever event makes it fail. */
export function describeBatchAtomicity(options: EventStoreConformanceOptions): void {
  describe('batch atomicity', () => {
    const fixture = useStoreFixture(options);

    /** Asserts that nothing of `type` reached the log and `streamId` is as it was. */
    async function expectNothingWritten(
      store: EventStore,
      streamId: string,
      versionBefore: number,
      type: string,
      after: bigint,
    ): Promise<void> {
      expect(await store.streamVersion(streamId)).toBe(versionBefore);
      expect(await store.readStream(streamId)).toHaveLength(versionBefore);
      expect(await store.readAll({ after, types: [type] })).toEqual([]);
    }

    kitTest('a BigInt deep inside the third event fails the whole batch with a ValidationError', async () => {
      const store = await fixture.open();
      const after = await markLogPosition(store);
      const streamId = uniqueStreamId('atomic');
      const type = uniqueEventType('atomic');
      const events = makeEvents(4, type);
      events[2] = { ...events[2]!, data: { order: { lines: [{ sku: 'a', price: 10n }] } } };
      const error = await expectRejection(() => store.append(streamId, events), ValidationError);
      expect(error.path).toBe('events[2].data.order.lines[0].price');
      await expectNothingWritten(store, streamId, 0, type, after);
    });

    kitTest('an invalid last event on an existing stream writes none of the batch', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('atomic');
      const type = uniqueEventType('atomic');
      await store.append(streamId, makeEvents(2, uniqueEventType('atomic-before')));
      const after = await markLogPosition(store);
      const events = makeEvents(5, type);
      events[4] = { ...events[4]!, data: { at: new Date() } };
      const error = await expectRejection(() => store.append(streamId, events), ValidationError);
      expect(error.path).toBe('events[4].data.at');
      await expectNothingWritten(store, streamId, 2, type, after);
      // The batch's valid ids were not kept: the same events, fixed, append normally.
      events[4] = { ...events[4]!, data: { at: 'now' } };
      await expect(store.append(streamId, events)).resolves.toMatchObject({
        firstVersion: 3,
        lastVersion: 7,
      });
    });

    kitTest('a batch whose second event id exists in another stream writes nothing', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('atomic');
      const elsewhere = uniqueStreamId('atomic-elsewhere');
      const [existing] = makeEvents(1, uniqueEventType('atomic-existing'));
      await store.append(elsewhere, [existing!]);
      const after = await markLogPosition(store);

      const streamId = uniqueStreamId('atomic');
      const events = makeEvents(3, type);
      events[1] = { ...events[1]!, id: existing!.id! };
      const error = await expectRejection(() => store.append(streamId, events), DuplicateEventError);
      expect(error.eventId).toBe(existing!.id);
      await expectNothingWritten(store, streamId, 0, type, after);
      expect(await store.streamVersion(elsewhere)).toBe(1);
      // The first event's id was not written either.
      await expect(store.append(streamId, [events[0]!])).resolves.toMatchObject({ firstVersion: 1 });
    });

    kitTest('a batch whose last event id exists earlier in the same stream writes nothing', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('atomic');
      const streamId = uniqueStreamId('atomic');
      const first = makeEvents(2, uniqueEventType('atomic-first'));
      await store.append(streamId, first);
      const after = await markLogPosition(store);
      const events = [...makeEvents(2, type), { ...first[0]!, type }];
      await expectRejection(() => store.append(streamId, events), DuplicateEventError);
      await expectNothingWritten(store, streamId, 2, type, after);
    });

    kitTest(
      `a ${LARGE_BATCH.toLocaleString('en')}-event batch whose last id exists in another stream writes nothing`,
      async () => {
        const store = await fixture.open();
        const type = uniqueEventType('atomic');
        const elsewhere = uniqueStreamId('atomic-elsewhere');
        const [existing] = makeEvents(1, uniqueEventType('atomic-existing'));
        await store.append(elsewhere, [existing!]);
        const streamId = uniqueStreamId('atomic');
        await store.append(streamId, makeEvents(2, uniqueEventType('atomic-before')));
        const after = await markLogPosition(store);
        const events = makeEvents(LARGE_BATCH, type);
        events[LARGE_BATCH - 1] = { ...events[LARGE_BATCH - 1]!, id: existing!.id! };
        const error = await expectRejection(() => store.append(streamId, events), DuplicateEventError);
        expect(error.eventId).toBe(existing!.id);
        await expectNothingWritten(store, streamId, 2, type, after);
        // None of the batch's other ids were kept: with a new last id, the batch appends whole.
        events[LARGE_BATCH - 1] = makeEvents(1, type, LARGE_BATCH)[0]!;
        await expect(store.append(streamId, events, { expectedVersion: 2 })).resolves.toMatchObject({
          firstVersion: 3,
          lastVersion: LARGE_BATCH + 2,
        });
        // Positions the refused batch took and gave back must not hold readers up.
        expect(await store.readAll({ after, types: [type] })).toHaveLength(LARGE_BATCH);
      },
    );

    kitTest('a refused expected version writes none of a large batch', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('atomic');
      const streamId = uniqueStreamId('atomic');
      await store.append(streamId, makeEvents(3, uniqueEventType('atomic-first')));
      const after = await markLogPosition(store);
      const events = makeEvents(100, type);
      await expectRejection(() => store.append(streamId, events, { expectedVersion: 2 }), ConcurrencyError);
      await expectNothingWritten(store, streamId, 3, type, after);
      const result = await store.append(streamId, events, { expectedVersion: 3 });
      expect(result).toMatchObject({ firstVersion: 4, lastVersion: 103 });
      expect(idsOf((await store.readStream(streamId)).slice(3))).toEqual(idsOf(events));
    });
  });
}
