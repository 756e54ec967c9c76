import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppendResult,
  iterateAll,
  MAX_POSITION,
  PositionsExhaustedError,
  type RecordedEvent,
} from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { isStrictlyIncreasing } from '../log-reader.js';
import { expectRejection } from '../outcome.js';
import { skipWithoutOption } from '../skip-without-option.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** The first integer a double cannot tell from its neighbour: 2^53 + 1 rounds to 2^53. */
const DOUBLE_LIMIT = 2n ** 53n;
/** Where the kit seeds the log for the 2^53 tests: its appends then cross the limit. */
const BELOW_DOUBLE_LIMIT = DOUBLE_LIMIT - 3n;
/** Positions left below the ceiling in the 2^63 test. */
const LEFT_AT_CEILING = 4n;

/**
 * Positions are exact bigints over the whole range up to 2^63 - 1: an adapter that lets a position
 * pass through a double (a JS number, a Lua number, a DOUBLE bound by a driver) acknowledges
 * appends behind the head of the log past 2^53, and a reader that checkpointed there never sees
 * them. At the ceiling an append is refused with `PositionsExhaustedError`, never wrapped around.
 * Each test runs on storage of its own that `options.seedPosition` positions near the limit.
 */
export function describeExactPositions(options: EventStoreConformanceOptions): void {
  const { seedPosition } = options;
  if (seedPosition === undefined) {
    describe('positions near 2^53 and 2^63', () => skipWithoutOption('seedPosition', 'exact-position'));
    return;
  }
  describe('positions near 2^53 and 2^63', () => {
    const fixture = useStoreFixture(options);
    const seeded = (lastPosition: bigint) => fixture.adopt(seedPosition(lastPosition));

    kitTest('appends crossing 2^53 report and read back exact, increasing positions', async () => {
      const store = await seeded(BELOW_DOUBLE_LIMIT);
      const type = uniqueEventType('exact');
      const streams = [uniqueStreamId('exact-a'), uniqueStreamId('exact-b')];
      const results: AppendResult[] = [];
      for (const [i, size] of [2, 1, 3, 1, 2].entries()) {
        results.push(await store.append(streams[i % 2]!, makeEvents(size, type)));
      }
      const all = await store.readAll({ after: BELOW_DOUBLE_LIMIT });
      const positions = all.map((event) => event.position);
      expect(all).toHaveLength(9);
      expect(isStrictlyIncreasing(positions), `positions ${positions.join(', ')}`).toBe(true);
      expect(positions[0]! > BELOW_DOUBLE_LIMIT, 'the log continues after the seeded position').toBe(true);
      expect(
        positions[0]! <= DOUBLE_LIMIT && positions.at(-1)! > DOUBLE_LIMIT + 1n,
        `the appends must cross 2^53; positions ${positions.join(', ')}`,
      ).toBe(true);

      for (const result of results) {
        const stream = await store.readStream(result.streamId, {
          fromVersion: result.firstVersion,
          toVersion: result.lastVersion,
        });
        expect(stream.at(-1)?.position, 'AppendResult.lastPosition is the batch last event').toBe(
          result.lastPosition,
        );
        expect(positions).toContain(result.lastPosition);
        if (result.events !== undefined) expect(result.events).toEqual(stream);
      }
      for (const streamId of streams) {
        const stream = await store.readStream(streamId);
        expect(stream).toEqual(all.filter((event) => event.streamId === streamId));
        expect((await store.readStreams([streamId])).get(streamId)).toEqual(stream);
        expect(await store.readStream(streamId, { direction: 'backward' })).toEqual([...stream].reverse());
      }
    });

    kitTest('readAll after each position around 2^53 returns exactly the later events', async () => {
      const store = await seeded(BELOW_DOUBLE_LIMIT);
      const type = uniqueEventType('exact-after');
      for (let i = 0; i < 8; i++) await store.append(uniqueStreamId('exact-after'), makeEvents(1, type));
      const all = await store.readAll({ after: BELOW_DOUBLE_LIMIT, types: [type] });
      expect(all).toHaveLength(8);
      for (let after = DOUBLE_LIMIT - 2n; after <= DOUBLE_LIMIT + 3n; after++) {
        const later = all.filter((event) => event.position > after);
        expect(await store.readAll({ after }), `readAll({ after: ${after}n })`).toEqual(later);
        expect(await store.readAll({ after, types: [type] }), `readAll({ after: ${after}n, types })`).toEqual(
          later,
        );
        expect(await store.readAll({ after, limit: 1 }), `readAll({ after: ${after}n, limit: 1 })`).toEqual(
          later.slice(0, 1),
        );
      }
    });

    kitTest('a resent batch past 2^53 returns its original exact result and writes nothing', async () => {
      const store = await seeded(BELOW_DOUBLE_LIMIT);
      const streamId = uniqueStreamId('exact-retry');
      const type = uniqueEventType('exact-retry');
      const batches = [makeEvents(2, type), makeEvents(2, type), makeEvents(2, type)];
      const originals: AppendResult[] = [];
      for (const batch of batches) originals.push(await store.append(streamId, batch));
      for (const [i, batch] of batches.entries()) {
        const retried = await store.append(streamId, batch, { expectedVersion: i * 2 });
        expect(resultFields(retried), `resending batch ${i + 1}`).toEqual(resultFields(originals[i]!));
        expect(resultFields(await store.append(streamId, batch))).toEqual(resultFields(originals[i]!));
      }
      expect(versionsOf(await store.readStream(streamId))).toEqual(range(1, 6));
      expect(idsOf(await store.readAll({ after: BELOW_DOUBLE_LIMIT }))).toEqual(batches.flatMap(idsOf));
    });

    kitTest(
      'a reader paging across 2^53 while a writer appends sees every event once, in order',
      async () => {
        const store = await seeded(BELOW_DOUBLE_LIMIT);
        const type = uniqueEventType('exact-tail');
        const streamId = uniqueStreamId('exact-tail');
        const total = 12;
        let writing = true;
        const writer = (async () => {
          for (let n = 1; n <= total; ) {
            const size = Math.min(1 + (n % 2), total - n + 1);
            await store.append(streamId, makeEvents(size, type, n));
            n += size;
            await sleep(1);
          }
        })().finally(() => {
          writing = false;
        });
        const seen: RecordedEvent[] = [];
        const disorder: string[] = [];
        const reader = async () => {
          let cursor = BELOW_DOUBLE_LIMIT;
          for (let idle = 0; seen.length < total && idle < 20; ) {
            const page = await store.readAll({ after: cursor, limit: 2 });
            for (const event of page) {
              if (event.position <= cursor) disorder.push(`${event.position} after ${cursor}`);
              cursor = event.position;
              seen.push(event);
            }
            if (page.length < 2) {
              if (!writing) idle++;
              await sleep(1);
            }
          }
        };
        await Promise.all([writer, reader()]);
        expect(disorder, 'positions must increase page after page').toEqual([]);
        const committed = await store.readStream(streamId);
        expect(committed).toHaveLength(total);
        expect(seen).toEqual(committed);
        const iterated: RecordedEvent[] = [];
        for await (const event of iterateAll(store, { after: BELOW_DOUBLE_LIMIT, batchSize: 3 })) {
          iterated.push(event);
        }
        expect(iterated).toEqual(committed);
      },
    );

    kitTest(
      'at 2^63 - 1 the log is full: a typed error, nothing written, never a wrapped position',
      async () => {
        const seed = MAX_POSITION - LEFT_AT_CEILING;
        const store = await seeded(seed);
        const type = uniqueEventType('ceiling');
        const streamId = uniqueStreamId('ceiling');
        const tooMany = makeEvents(Number(LEFT_AT_CEILING) + 1, type);
        await expectRejection(() => store.append(streamId, tooMany), PositionsExhaustedError);
        expect(await store.streamVersion(streamId), 'a refused batch writes nothing').toBe(0);
        expect(await store.readAll({ after: seed })).toEqual([]);

        const accepted: AppendResult[] = [];
        const singles = makeEvents(Number(LEFT_AT_CEILING) + 1, type);
        let refused: unknown;
        for (const event of singles) {
          try {
            accepted.push(await store.append(streamId, [event], { expectedVersion: accepted.length }));
          } catch (error) {
            refused = error;
            break;
          }
        }
        expect(accepted.length, 'at least the first position after the seed is handed out').toBeGreaterThan(
          0,
        );
        expect(PositionsExhaustedError.isInstance(refused), 'the append past 2^63 - 1 is refused').toBe(true);
        const positions = accepted.map((result) => result.lastPosition);
        expect(isStrictlyIncreasing(positions), `positions ${positions.join(', ')}`).toBe(true);
        expect(positions.every((position) => position > seed && position <= MAX_POSITION)).toBe(true);

        await expectRejection(
          () => store.append(uniqueStreamId('ceiling-other'), makeEvents(1, type)),
          PositionsExhaustedError,
        );
        expect(await store.streamVersion(streamId)).toBe(accepted.length);
        const all = await store.readAll({ after: seed });
        expect(all.map((event) => event.position)).toEqual(positions);
        expect(await store.readAll({ after: MAX_POSITION - 1n })).toEqual(
          all.filter((event) => event.position === MAX_POSITION),
        );
        // A retry recorded nothing new, so a full log still answers it with the original result.
        const last = accepted.length - 1;
        const resent = await store.append(streamId, [singles[last]!]);
        expect(resultFields(resent)).toEqual(resultFields(accepted[last]!));
      },
    );
  });
}
