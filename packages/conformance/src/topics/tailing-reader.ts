import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '@strata/core';
import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition, readOwnEvents } from '../log-reader.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

const WRITERS = 4;
const EVENTS_PER_WRITER = 50;
const PAGE_SIZE = 7;
/** Empty polls after the writers finished before the reader gives up on events it never saw. */
const IDLE_POLLS_AFTER_WRITERS = 20;
/** Far more polls than the writers' 200 events need, however slowly they commit: the reader's bound. */
const MAX_POLLS = 100_000;

/**
 * A reader paging the global log while writers append must see every committed event exactly once
 * and in position order; an adapter whose positions become visible out of order makes it skip one.
 */
export function describeTailingReader(options: EventStoreConformanceOptions): void {
  describe('tailing reader', () => {
    const fixture = useStoreFixture(options);

    for (const filtered of [false, true]) {
      const how = filtered ? 'with a types filter' : 'over the whole log';
      kitTest(
        `a reader paging ${how} during ${WRITERS} concurrent writers sees every event once, in order`,
        async () => {
          const store = await fixture.open();
          const type = uniqueEventType('tail');
          const streams = Array.from({ length: WRITERS }, () => uniqueStreamId('tail'));
          const start = await markLogPosition(store);
          let writing = true;

          const writer = async (streamId: string, w: number) => {
            for (let written = 0; written < EVENTS_PER_WRITER; ) {
              const size = Math.min(1 + ((written + w) % 3), EVENTS_PER_WRITER - written);
              await store.append(streamId, makeEvents(size, type, written + 1));
              written += size;
            }
          };
          const writers = Promise.all(streams.map(writer)).finally(() => {
            writing = false;
          });

          const own = new Set(streams);
          const seen: RecordedEvent[] = [];
          const disorder: string[] = [];
          const reader = async () => {
            let cursor = start;
            let idle = 0;
            for (let polls = 0; seen.length < WRITERS * EVENTS_PER_WRITER; polls++) {
              if (idle > IDLE_POLLS_AFTER_WRITERS) return;
              if (polls >= MAX_POLLS)
                throw new Error(`the reader did not reach the end in ${MAX_POLLS} polls`);
              const page = await store.readAll({
                after: cursor,
                limit: PAGE_SIZE,
                ...(filtered ? { types: [type] } : {}),
              });
              for (const event of page) {
                // A reader sent backwards could loop for ever: stop at the first step back.
                if (event.position <= cursor) {
                  disorder.push(`${event.position} after ${cursor}`);
                  return;
                }
                cursor = event.position;
                if (own.has(event.streamId)) seen.push(event);
              }
              if (page.length < PAGE_SIZE) {
                if (!writing) idle++;
                await sleep(1);
              }
            }
          };
          await Promise.all([writers, reader()]);

          expect(disorder, 'positions must increase page after page').toEqual([]);
          const committed = await readOwnEvents(store, start, streams);
          expect(committed).toHaveLength(WRITERS * EVENTS_PER_WRITER);
          const seenIds = idsOf(seen);
          expect(new Set(seenIds).size, 'no event is seen twice').toBe(seenIds.length);
          const missing = idsOf(committed).filter((id) => !seenIds.includes(id));
          expect(missing, 'no committed event is skipped').toEqual([]);
          expect(seenIds).toEqual(idsOf(committed));
        },
      );
    }
  });
}
