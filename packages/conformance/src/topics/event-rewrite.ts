import {
  type EventRewrite,
  EventRewriteConflictError,
  type EventStore,
  MAX_PAYLOAD_BYTES,
  type ReadAllOptions,
  type RecordedEvent,
  type RewritableEventStore,
  supportsEventRewrite,
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
import { describeEventRewriteBatch } from './event-rewrite-batch.js';

/** Why a test of `rewriteEvent()` did not run, shown as its skip note. */
export const NO_EVENT_REWRITE =
  'the adapter has no rewriteEvent() (the optional EventRewriter capability): this test did not run';

/** Why the readAll test of a rewrite did not run on a store without a global log. */
export const NO_READ_ALL = 'the store has no readAll (UnsupportedOperationError): this test did not run';

const WRITERS = 8;

/**
 * The optional `EventRewriter` capability: a guarded in-place rewrite of one event's type, schema
 * version and payload. Only those four change; every read sees the new payload; a rewrite whose
 * guard does not hold, or whose input is bad, writes nothing; of rewriters racing with one guard,
 * one wins. Without the capability these tests end as skipped, with a note. The batch form
 * (`rewriteEvents`) has a group of its own, run from here too.
 */
export function describeEventRewrite(options: EventStoreConformanceOptions): void {
  const { raceRepetitions } = resolveScale(options);
  describe('event rewrite (rewriteEvent(), optional)', () => {
    const fixture = useStoreFixture(options);

    /** A stream of three events of a fresh type; the second is the one the test rewrites. */
    async function seeded(context: TestContext) {
      const store = rewritable(await fixture.open(), context);
      const streamId = uniqueStreamId('rewrite');
      const oldType = uniqueEventType('rewrite-old');
      const newType = uniqueEventType('rewrite-new');
      await store.append(streamId, makeEvents(3, oldType), { streamType: 'rewritten' });
      const before = await store.readStream(streamId);
      const target = before[1]!;
      const rewrite: EventRewrite = {
        ...guardOf(target),
        type: newType,
        schemaVersion: 2,
        data: { renamed: true, text: 'ünïcødé 👩‍👩‍👧 "quoted"', list: [1, 2.5, null] },
        metadata: { migratedBy: 'conformance' },
      };
      return { store, streamId, oldType, newType, before, target, rewrite };
    }

    kitTest(
      'a rewrite changes type, schema version, data and metadata, and nothing else',
      async (context) => {
        const { store, streamId, before, target, rewrite } = await seeded(context);
        await store.rewriteEvent(rewrite);
        const after = await store.readStream(streamId);
        expect(after[0], 'the event before it').toEqual(before[0]);
        expect(after[2], 'the event after it').toEqual(before[2]);
        expect(after[1]).toEqual({
          ...target,
          type: rewrite.type,
          schemaVersion: rewrite.schemaVersion,
          data: rewrite.data,
          metadata: rewrite.metadata,
        });
        expect(await store.streamVersion(streamId)).toBe(3);
      },
    );

    kitTest('readStreams sees the new payload', async (context) => {
      const { store, streamId, newType, target, rewrite } = await seeded(context);
      await store.rewriteEvent(rewrite);
      const stream = (await store.readStreams([streamId])).get(streamId)!;
      expect(stream.find((e) => e.id === target.id)).toMatchObject({
        type: newType,
        schemaVersion: 2,
        data: rewrite.data,
        metadata: rewrite.metadata,
      });
    });

    kitTest('readAll sees the new payload, filtered by the new type and not by the old', async (context) => {
      const { store, oldType, newType, target, rewrite } = await seeded(context);
      await store.rewriteEvent(rewrite);
      const after = target.position - 1n;
      const byNewType = await readAllOrSkip(store, { after, types: [newType] }, context);
      expect(byNewType.map((e) => [e.id, e.position, e.data])).toEqual([
        [target.id, target.position, rewrite.data],
      ]);
      const byOldType = await store.readAll({ after, types: [oldType] });
      expect(byOldType.map((e) => e.id)).not.toContain(target.id);
      const [inLog] = await store.readAll({ after, limit: 1 });
      expect(inLog).toMatchObject({ id: target.id, version: 2, type: newType, metadata: rewrite.metadata });
    });

    kitTest('appends after a rewrite continue the stream and the log as before', async (context) => {
      const { store, streamId, oldType, before, rewrite } = await seeded(context);
      await store.rewriteEvent(rewrite);
      const result = await store.append(streamId, makeEvents(1, oldType), { expectedVersion: 3 });
      expect(result.firstVersion).toBe(4);
      expect(result.lastPosition > before[2]!.position).toBe(true);
    });

    kitTest('a rewrite to exactly what is stored succeeds and changes nothing', async (context) => {
      // An UPDATE that counts changed rows, not matched ones (MySQL without CLIENT_FOUND_ROWS), reports
      // 0 rows here: that is not a conflict.
      const { store, streamId, before, target } = await seeded(context);
      await store.rewriteEvent({
        ...guardOf(target),
        type: target.type,
        schemaVersion: target.schemaVersion,
        data: target.data,
        metadata: target.metadata,
      });
      expect(await store.readStream(streamId)).toEqual(before);
    });

    kitTest('a rewrite whose guard does not hold is refused and writes nothing', async (context) => {
      const { store, streamId, newType, before, target, rewrite } = await seeded(context);
      const wrong: [string, Partial<EventRewrite>][] = [
        ['another type', { expectedType: newType }],
        ['another schema version', { expectedSchemaVersion: 2 }],
        ['another id', { id: before[0]!.id }],
        ['another position', { position: before[0]!.position }],
      ];
      for (const [what, change] of wrong) {
        const error = await expectRejection(
          () => store.rewriteEvent({ ...rewrite, ...change }),
          EventRewriteConflictError,
        );
        expect(error, what).toMatchObject({ streamId, version: 2 });
        expect(error.actual, what).toEqual(guardIdentity(target));
      }
      for (const missing of [{ version: 4 }, { streamId: uniqueStreamId('rewrite-missing') }]) {
        const error = await expectRejection(
          () => store.rewriteEvent({ ...rewrite, ...missing }),
          EventRewriteConflictError,
        );
        expect(error.actual, `no event at ${JSON.stringify(missing)}`).toBeUndefined();
      }
      expect(await store.readStream(streamId)).toEqual(before);
    });

    kitTest('a second rewrite with the first guard is refused: the event moved on', async (context) => {
      const { store, streamId, newType, rewrite } = await seeded(context);
      await store.rewriteEvent(rewrite);
      const after = await store.readStream(streamId);
      const error = await expectRejection(
        () => store.rewriteEvent({ ...rewrite, data: { second: true } }),
        EventRewriteConflictError,
      );
      expect(error.actual).toMatchObject({ type: newType, schemaVersion: 2 });
      expect(await store.readStream(streamId)).toEqual(after);
    });

    kitTest(
      'bad input is refused with a ValidationError before any write, as for appends',
      async (context) => {
        const { store, streamId, before, rewrite } = await seeded(context);
        const bad: [string, Partial<EventRewrite>][] = [
          ['rewrite.data', { data: 'x'.repeat(MAX_PAYLOAD_BYTES) }],
          ['rewrite.metadata', { metadata: { big: 'é'.repeat(MAX_PAYLOAD_BYTES / 2) } }],
          ['rewrite.data', { data: { n: Number.POSITIVE_INFINITY } }],
          ['rewrite.metadata', { metadata: null as unknown as Record<string, unknown> }],
          ['rewrite.schemaVersion', { schemaVersion: 0 }],
          ['rewrite.type', { type: '' }],
          ['rewrite.version', { version: -1 }],
          ['rewrite.position', { position: 2 as unknown as bigint }],
        ];
        for (const [path, change] of bad) {
          const error = await expectRejection(
            () => store.rewriteEvent({ ...rewrite, ...change }),
            ValidationError,
          );
          expect(error.path.startsWith(path), `${error.path} names ${path}`).toBe(true);
        }
        expect(await store.readStream(streamId)).toEqual(before);
      },
    );

    kitTest(
      `${WRITERS} rewriters with one guard: exactly one wins, the others conflict (x${raceRepetitions})`,
      async (context) => {
        const { store, streamId, target } = await seeded(context);
        const stores: RewritableEventStore[] = [store];
        if (options.createPeer !== undefined) stores.push(rewritable(await fixture.openPeer(store), context));
        let guard = guardOf(target);
        for (let round = 0; round < raceRepetitions; round++) {
          const outcomes = await Promise.all(
            Array.from({ length: WRITERS }, (_, i) =>
              settle(() =>
                stores[i % stores.length]!.rewriteEvent({
                  ...guard,
                  type: guard.expectedType,
                  schemaVersion: guard.expectedSchemaVersion + 1,
                  data: { round, writer: i },
                  metadata: {},
                }),
              ),
            ),
          );
          const winners = outcomes.flatMap((outcome, i) => (outcome.ok ? [i] : []));
          expect(winners, `round ${round}: the writers that succeeded`).toHaveLength(1);
          for (const outcome of outcomes) {
            if (!outcome.ok) expect(EventRewriteConflictError.isInstance(outcome.error)).toBe(true);
          }
          const [stored] = await store.readStream(streamId, { fromVersion: 2, limit: 1 });
          expect(stored, `round ${round}: the stored event`).toMatchObject({
            schemaVersion: guard.expectedSchemaVersion + 1,
            data: { round, writer: winners[0] },
          });
          guard = guardOf(stored!);
        }
      },
    );
  });
  describeEventRewriteBatch(options);
}

/** Skips, with a note, on a store that has no global log (a Redis Cluster): nothing there to check. */
async function readAllOrSkip(
  store: EventStore,
  options: ReadAllOptions,
  context: TestContext,
): Promise<RecordedEvent[]> {
  try {
    return await store.readAll(options);
  } catch (error) {
    if (UnsupportedOperationError.isInstance(error)) context.skip(NO_READ_ALL);
    throw error;
  }
}

function rewritable(store: EventStore, context: TestContext): RewritableEventStore {
  if (!supportsEventRewrite(store)) context.skip(NO_EVENT_REWRITE);
  return store as RewritableEventStore;
}

/** The guard that names `event` as it was read. */
function guardOf(event: RecordedEvent) {
  return {
    streamId: event.streamId,
    version: event.version,
    id: event.id,
    position: event.position,
    expectedType: event.type,
    expectedSchemaVersion: event.schemaVersion,
  };
}

function guardIdentity(event: RecordedEvent) {
  return { id: event.id, position: event.position, type: event.type, schemaVersion: event.schemaVersion };
}
