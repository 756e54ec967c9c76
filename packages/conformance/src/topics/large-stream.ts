import { iterateStream, type RecordedEvent } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { isStrictlyIncreasing } from '../log-reader.js';
import { useStoreFixture } from '../store-fixture.js';
import { numbersOf, range, versionsOf } from '../test-events.js';
import { HEAVY_TEST_TIMEOUT_MS } from '../test-timeouts.js';
import { uniqueEventId, uniqueEventType, uniqueStreamId } from '../unique-names.js';

const BATCH_SIZE = 500;

/** A long stream (`scale.largeStreamEvents`, default 10,000) written in batches and read back in pages. */
export function describeLargeStream(options: EventStoreConformanceOptions): void {
  const { largeStreamEvents: total } = resolveScale(options);
  describe('large stream', () => {
    const fixture = useStoreFixture(options);

    it(
      `${total} events appended in batches read back whole, in pages and through iterateStream`,
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('large');
        const type = uniqueEventType('large');
        for (let first = 1; first <= total; first += BATCH_SIZE) {
          const size = Math.min(BATCH_SIZE, total - first + 1);
          const events = Array.from({ length: size }, (_, i) => ({
            id: uniqueEventId(),
            type,
            data: { n: first + i, pad: 'x'.repeat(32) },
          }));
          const result = await store.append(streamId, events, { expectedVersion: first - 1 });
          expect(result).toMatchObject({ firstVersion: first, lastVersion: first + size - 1 });
        }
        expect(await store.streamVersion(streamId)).toBe(total);

        const whole = await store.readStream(streamId);
        expect(versionsOf(whole)).toEqual(range(1, total));
        expect(numbersOf(whole)).toEqual(range(1, total));
        expect(isStrictlyIncreasing(whole.map((e) => e.position))).toBe(true);

        // Pages of an odd size, so the last one is partial.
        const pageSize = Math.max(1, Math.min(997, Math.ceil(total / 7)));
        const paged: RecordedEvent[] = [];
        // Bounded: a store that ignored fromVersion would return full pages for ever.
        for (let from = 1; from <= total + 1; from += pageSize) {
          const page = await store.readStream(streamId, { fromVersion: from, limit: pageSize });
          paged.push(...page);
          if (page.length < pageSize) break;
        }
        expect(versionsOf(paged)).toEqual(range(1, total));
        expect(paged).toEqual(whole);

        const iterated: number[] = [];
        for await (const event of iterateStream(store, streamId, { batchSize: pageSize })) {
          iterated.push(event.version);
          if (iterated.length > total) break;
        }
        expect(iterated).toEqual(range(1, total));

        const tail = await store.readStream(streamId, { direction: 'backward', limit: pageSize });
        expect(versionsOf(tail)).toEqual(range(Math.max(1, total - pageSize + 1), total).reverse());
        const middle = Math.ceil(total / 2);
        const window = await store.readStream(streamId, { fromVersion: middle, toVersion: middle + 9 });
        expect(versionsOf(window)).toEqual(range(middle, Math.min(total, middle + 9)));
        const fromMiddle = (await store.readStreams([streamId], { fromVersion: middle })).get(streamId) ?? [];
        expect(versionsOf(fromMiddle)).toEqual(range(middle, total));
      },
      HEAVY_TEST_TIMEOUT_MS,
    );
  });
}
