import {
  type BatchRewritableEventStore,
  type EventRewrite,
  EventRewriteConflictError,
  type EventStore,
  MAX_REWRITE_BATCH_SIZE,
  type RecordedEvent,
  supportsEventRewriteBatch,
  UnsupportedOperationError,
  ValidationError,
} from '@strata/core';
import { describe, expect, type TestContext } from 'vitest';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { expectRejection, settle } from '../outcome.js';
import { useStoreFixture } from '../store-fixture.js';
import { makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** Why a test of `rewriteEvents()` did not run, shown as its skip note. */
export const NO_EVENT_REWRITE_BATCH =
  'the adapter has no rewriteEvents() (the optional batch form of EventRewriter): this test did not run';

/** Why the test of a batch over several streams did not run on a store that refuses one (a Redis Cluster). */
export const NO_CROSS_STREAM_BATCH =
  'the store refuses a batch over these streams (UnsupportedOperationError): this test did not run';

const WRITERS = 6;

/**
 * The optional batch form of `EventRewriter`: `rewriteEvents` writes every rewrite of the batch or
 * none. One guard that does not hold, or one bad rewrite, leaves every event as it was; of batches
 * racing over the same events, one wins whole. Without it these tests end as skipped, with a note.
 */
export function describeEventRewriteBatch(options: EventStoreConformanceOptions): void {
  const { raceRepetitions } = resolveScale(options);
  describe('event rewrite batch (rewriteEvents(), optional)', () => {
    const fixture = useStoreFixture(options);

    /** A stream of four events of a fresh type, and a rewrite of each to a new type at version 2. */
    async function seeded(context: TestContext, into?: BatchRewritableEventStore) {
      const store = into ?? batchRewritable(await fixture.open(), context);
      const streamId = uniqueStreamId('rewrite-batch');
      const newType = uniqueEventType('rewrite-batch-new');
      await store.append(streamId, makeEvents(4, uniqueEventType('rewrite-batch-old')));
      const before = await store.readStream(streamId);
      const rewrites = before.map((event) => toNewType(event, newType));
      return { store, streamId, newType, before, rewrites };
    }

    kitTest('a batch rewrites every event it names, and nothing else', async (context) => {
      const { store, streamId, before, rewrites } = await seeded(context);
      // Out of order on purpose: the order of a batch does not matter.
      await store.rewriteEvents([rewrites[3]!, rewrites[0]!, rewrites[2]!]);
      const after = await store.readStream(streamId);
      expect(after[1], 'the event the batch left out').toEqual(before[1]);
      for (const i of [0, 2, 3])
        expect(after[i], `event ${i + 1}`).toEqual(rewritten(before[i]!, rewrites[i]!));
      expect(await store.streamVersion(streamId)).toBe(4);
    });

    kitTest('a batch over several streams rewrites them all', async (context) => {
      const one = await seeded(context);
      const other = await seeded(context, one.store);
      const outcome = await settle(() => one.store.rewriteEvents([one.rewrites[1]!, other.rewrites[2]!]));
      if (!outcome.ok && UnsupportedOperationError.isInstance(outcome.error))
        context.skip(NO_CROSS_STREAM_BATCH);
      if (!outcome.ok) throw outcome.error;
      expect((await one.store.readStream(one.streamId))[1]).toEqual(
        rewritten(one.before[1]!, one.rewrites[1]!),
      );
      expect((await one.store.readStream(other.streamId))[2]).toEqual(
        rewritten(other.before[2]!, other.rewrites[2]!),
      );
    });

    kitTest('one guard that does not hold fails the whole batch, and nothing is written', async (context) => {
      const { store, streamId, newType, before, rewrites } = await seeded(context);
      const stale: [string, Partial<EventRewrite>][] = [
        ['another type', { expectedType: newType }],
        ['another schema version', { expectedSchemaVersion: 2 }],
        ['another id', { id: before[0]!.id }],
        ['another position', { position: before[3]!.position }],
        ['no event there', { version: 5 }],
      ];
      for (const [what, change] of stale) {
        const batch = [rewrites[0]!, { ...rewrites[2]!, ...change }, rewrites[3]!];
        const error = await expectRejection(() => store.rewriteEvents(batch), EventRewriteConflictError);
        expect(error, what).toMatchObject({ streamId, version: batch[1]!.version });
        expect(await store.readStream(streamId), `after a batch with ${what}`).toEqual(before);
      }
    });

    kitTest(
      'a batch whose events moved on is refused whole: a second run writes nothing',
      async (context) => {
        const { store, streamId, newType, rewrites } = await seeded(context);
        await store.rewriteEvent(rewrites[2]!);
        const after = await store.readStream(streamId);
        const error = await expectRejection(
          () => store.rewriteEvents([rewrites[0]!, rewrites[1]!, rewrites[2]!]),
          EventRewriteConflictError,
        );
        expect(error).toMatchObject({ version: 3, actual: { type: newType, schemaVersion: 2 } });
        expect(await store.readStream(streamId)).toEqual(after);
      },
    );

    kitTest(
      'bad input anywhere in a batch is refused with a ValidationError before any write',
      async (context) => {
        const { store, streamId, before, rewrites } = await seeded(context);
        const [a, b, c] = rewrites as [EventRewrite, EventRewrite, EventRewrite];
        const bad: [string, EventRewrite[]][] = [
          ['rewrites[2].schemaVersion', [a, b, { ...c, schemaVersion: 0 }]],
          ['rewrites[1].data', [a, { ...b, data: { n: Number.NaN } }, c]],
          ['rewrites[2]', [a, b, { ...a, data: { twice: true } }]],
          ['rewrites', Array.from({ length: MAX_REWRITE_BATCH_SIZE + 1 }, () => a)],
          ['rewrites', 'not an array' as unknown as EventRewrite[]],
        ];
        for (const [path, batch] of bad) {
          const error = await expectRejection(() => store.rewriteEvents(batch), ValidationError);
          expect(error.path.startsWith(path), `${error.path} names ${path}`).toBe(true);
          expect(await store.readStream(streamId)).toEqual(before);
        }
      },
    );

    kitTest('an empty batch resolves and writes nothing', async (context) => {
      const { store, streamId, before } = await seeded(context);
      await store.rewriteEvents([]);
      expect(await store.readStream(streamId)).toEqual(before);
    });

    kitTest(
      `${WRITERS} batches over the same events: one wins whole, the others write nothing (x${raceRepetitions})`,
      async (context) => {
        const { store, streamId } = await seeded(context);
        const stores: BatchRewritableEventStore[] = [store];
        if (options.createPeer !== undefined) {
          stores.push(batchRewritable(await fixture.openPeer(store), context));
        }
        let current = await store.readStream(streamId);
        for (let round = 0; round < raceRepetitions; round++) {
          const outcomes = await Promise.all(
            Array.from({ length: WRITERS }, (_, writer) => {
              const batch = current.map((event) => ({
                ...toNewType(event, event.type),
                schemaVersion: event.schemaVersion + 1,
                data: { round, writer },
              }));
              // Half the writers name the events in the other order: a store that locks rows in the
              // order given would deadlock here rather than refuse.
              if (writer % 2 === 1) batch.reverse();
              return settle(() => stores[writer % stores.length]!.rewriteEvents(batch));
            }),
          );
          const winners = outcomes.flatMap((outcome, i) => (outcome.ok ? [i] : []));
          expect(winners, `round ${round}: the batches that succeeded`).toHaveLength(1);
          for (const outcome of outcomes) {
            if (!outcome.ok) expect(EventRewriteConflictError.isInstance(outcome.error)).toBe(true);
          }
          current = await store.readStream(streamId);
          expect(
            current.map((event) => event.data),
            `round ${round}: every event written by the one winner`,
          ).toEqual(current.map(() => ({ round, writer: winners[0] })));
        }
      },
    );
  });
}

function batchRewritable(store: EventStore, context: TestContext): BatchRewritableEventStore {
  if (!supportsEventRewriteBatch(store)) context.skip(NO_EVENT_REWRITE_BATCH);
  return store as BatchRewritableEventStore;
}

/** A rewrite of `event`, as read, to `type` at schema version 2 with new data and metadata. */
function toNewType(event: RecordedEvent, type: string): EventRewrite {
  return {
    streamId: event.streamId,
    version: event.version,
    id: event.id,
    position: event.position,
    expectedType: event.type,
    expectedSchemaVersion: event.schemaVersion,
    type,
    schemaVersion: 2,
    data: { rewritten: event.version, text: 'ünïcødé 👩‍👩‍👧' },
    metadata: { migratedBy: 'conformance batch' },
  };
}

/** `event` as it reads after `rewrite`. */
function rewritten(event: RecordedEvent, rewrite: EventRewrite): RecordedEvent {
  return {
    ...event,
    type: rewrite.type,
    schemaVersion: rewrite.schemaVersion,
    data: rewrite.data,
    metadata: rewrite.metadata,
  };
}
