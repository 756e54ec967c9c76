import { ConcurrencyError } from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { expectOneWinner, RACE_WRITERS as WRITERS } from '../one-winner-race.js';
import { describeError, settle } from '../outcome.js';
import { expectOneIdOwner } from '../shared-id-race.js';
import { kitTestOfStoreWideIds } from '../skip-without-option.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/**
 * Concurrent appenders in one process: the version check and the write must be one atomic step.
 * Each race is repeated `scale.raceRepetitions` times, because a racy adapter often wins a single race.
 */
export function describeConcurrency(options: EventStoreConformanceOptions): void {
  const { raceRepetitions } = resolveScale(options);
  describe('concurrency', () => {
    const fixture = useStoreFixture(options);
    const type = uniqueEventType('concurrency');

    kitTest(
      `${WRITERS} appenders expecting the same version: exactly one wins (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('race');
        await store.append(streamId, makeEvents(1, type));
        for (let round = 0; round < raceRepetitions; round++) {
          const version = await store.streamVersion(streamId);
          await expectOneWinner(store, [store], streamId, version, version);
        }
      },
    );

    kitTest(
      `${WRITERS} appenders creating the same stream with 'no_stream': exactly one wins (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        for (let round = 0; round < raceRepetitions; round++) {
          await expectOneWinner(store, [store], uniqueStreamId('race-new'), 'no_stream', 0);
        }
      },
    );

    kitTest(
      `${WRITERS} 'any' appenders all succeed with versions 1..n, no gap, no duplicate (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        for (let round = 0; round < raceRepetitions; round++) {
          const streamId = uniqueStreamId('race-any');
          const batches = Array.from({ length: WRITERS }, () => makeEvents(3, type));
          const results = await Promise.all(batches.map((events) => store.append(streamId, events)));
          const read = await store.readStream(streamId);
          expect(versionsOf(read)).toEqual(range(1, WRITERS * 3));
          expect(new Set(read.map((e) => e.position)).size).toBe(read.length);
          // Each batch sits, whole and in order, exactly where its result says.
          results.forEach((result, i) => {
            expect(result.lastVersion - result.firstVersion).toBe(2);
            const slice = read.slice(result.firstVersion - 1, result.lastVersion);
            expect(idsOf(slice)).toEqual(idsOf(batches[i]!));
            expect(slice[2]?.position).toBe(result.lastPosition);
          });
        }
      },
    );

    kitTest(`concurrent appends to ${WRITERS} different streams all succeed`, async () => {
      const store = await fixture.open();
      const streamIds = Array.from({ length: WRITERS }, () => uniqueStreamId('parallel'));
      await Promise.all(streamIds.map((id) => store.append(id, makeEvents(2, type))));
      const results = await Promise.all(
        streamIds.map((id) => store.append(id, makeEvents(2, type), { expectedVersion: 2 })),
      );
      for (const result of results) expect(result).toMatchObject({ firstVersion: 3, lastVersion: 4 });
      for (const id of streamIds) expect(versionsOf(await store.readStream(id))).toEqual([1, 2, 3, 4]);
      expect(new Set(results.map((r) => r.lastPosition)).size).toBe(WRITERS);
    });

    kitTest(
      `${WRITERS} concurrent sends of the same batch return one result and write it once (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        for (let round = 0; round < raceRepetitions; round++) {
          const streamId = uniqueStreamId('race-retry');
          const events = makeEvents(2, type);
          const outcomes = await Promise.all(
            Array.from({ length: WRITERS }, () => settle(() => store.append(streamId, events))),
          );
          const results = outcomes.map((outcome) => {
            if (!outcome.ok) throw new Error(`a resent batch must not fail: ${describeError(outcome.error)}`);
            return outcome.value;
          });
          for (const result of results) expect(resultFields(result)).toEqual(resultFields(results[0]!));
          expect(results[0]).toMatchObject({ streamId, firstVersion: 1, lastVersion: 2 });
          expect(idsOf(await store.readStream(streamId))).toEqual(idsOf(events));
        }
      },
    );

    kitTestOfStoreWideIds(
      options,
      `${WRITERS} appenders of the same event ids to ${WRITERS} different streams: one wins, the rest get DuplicateEventError (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        for (let round = 0; round < raceRepetitions; round++) await expectOneIdOwner(store, [store]);
      },
    );

    kitTest('optimistic writers that reload and retry on ConcurrencyError lose no update', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('optimistic');
      const writers = 4;
      const updatesEach = 3;
      const maxAttempts = 200;
      const writer = async (w: number) => {
        for (let u = 0; u < updatesEach; u++) {
          for (let attempt = 1; ; attempt++) {
            const version = await store.streamVersion(streamId);
            const outcome = await settle(() =>
              store.append(streamId, [{ type, data: { w, u } }], { expectedVersion: version }),
            );
            if (outcome.ok) break;
            if (!ConcurrencyError.isInstance(outcome.error) || attempt >= maxAttempts) throw outcome.error;
          }
        }
      };
      await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
      const read = await store.readStream(streamId);
      expect(versionsOf(read)).toEqual(range(1, writers * updatesEach));
      const seen = read.map((e) => JSON.stringify(e.data)).sort();
      const wanted = Array.from({ length: writers * updatesEach }, (_, i) =>
        JSON.stringify({ w: Math.floor(i / updatesEach), u: i % updatesEach }),
      ).sort();
      expect(seen).toEqual(wanted);
    });
  });
}
