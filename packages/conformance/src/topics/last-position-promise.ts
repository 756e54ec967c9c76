import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@strata/core';
import { expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { lastPositionOrSkip } from '../last-position-or-skip.js';
import { markLogPosition, readLogPages } from '../log-reader.js';
import type { StoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

const WRITERS = 4;
const APPENDS_PER_WRITER = 15;
/** Far more observations than the writers' 60 appends take however slowly they commit: the loop's bound. */
const MAX_OBSERVATIONS = 100_000;

/** One reported value, and the test's events a `readAll` started right after it held at or below it. */
interface Observation {
  value: bigint;
  held: Set<string>;
}

/**
 * The promise itself, under concurrent appends: once `lastPosition()` has reported a value, no
 * event appears at or below it later. A store that reports a position handed out to an append
 * still in flight (an auto-increment counter, a sequence) breaks it when that append commits, and
 * a reader that moved to the value skips the event for ever. Writers go through a peer too when
 * the adapter has one; the race is repeated `repetitions` times.
 */
export function describeLastPositionPromise(
  options: EventStoreConformanceOptions,
  fixture: StoreFixture,
  repetitions: number,
): void {
  kitTest(
    `no event appears at or below a value it reported, during ${WRITERS} concurrent writers`,
    async (context) => {
      for (let round = 0; round < repetitions; round++) {
        const store = await fixture.open();
        await lastPositionOrSkip(store, context);
        const peer = options.createPeer === undefined ? store : await fixture.openPeer(store);
        const type = uniqueEventType('last-race');
        const start = await markLogPosition(store);
        const ownEvents = () => readLogPages(store, { after: start, pageSize: 100, types: [type] });

        let writing = true;
        const writers = Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            const writer: EventStore = w % 2 === 0 ? store : peer;
            const streamId = uniqueStreamId('last-race');
            for (let i = 0; i < APPENDS_PER_WRITER; i++) {
              await writer.append(streamId, makeEvents(1 + ((i + w) % 3), type));
            }
          }),
        ).finally(() => {
          writing = false;
        });

        const observations: Observation[] = [];
        const observe = async () => {
          while (writing) {
            if (observations.length >= MAX_OBSERVATIONS)
              throw new Error(`the writers did not finish in ${MAX_OBSERVATIONS} observations`);
            const value = await store.lastPosition!();
            const events = await ownEvents();
            const held = idsOf(events.filter((event) => event.position <= value));
            observations.push({ value, held: new Set(held) });
            // A store answering from memory never leaves the microtask queue: writers waiting on a
            // timer would never run, and this loop would never end.
            await sleep(1);
          }
        };
        await Promise.all([writers, observe()]);

        const committed = await ownEvents();
        const late = observations.flatMap(({ value, held }) =>
          committed
            .filter((event) => event.position <= value && !held.has(event.id ?? ''))
            .map((event) => `position ${event.position} appeared after lastPosition() reported ${value}`),
        );
        expect(late, 'events that committed at or below a value lastPosition() had reported').toEqual([]);
        const values = observations.map((o) => o.value);
        expect(
          values.filter((value, i) => i > 0 && value < values[i - 1]!),
          'lastPosition() went backward',
        ).toEqual([]);
      }
    },
  );
}
