import { describe, expect } from 'vitest';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { lastPositionOrSkip } from '../last-position-or-skip.js';
import { markLogPosition, readLogPages } from '../log-reader.js';
import { skipWithoutOption } from '../skip-without-option.js';
import { type StoreFixture, useStoreFixture } from '../store-fixture.js';
import { makeEvents } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';
import { describeLastPositionPromise } from './last-position-promise.js';

/** Where the kit starts a log of its own to check exact positions past 2^53. */
const BELOW_DOUBLE_LIMIT = 2n ** 53n - 3n;

/**
 * The optional `lastPosition()`: the position of the last event a `readAll` started now can
 * return, above which every later commit lands. A type-filtered reader moves its checkpoint to it,
 * so a value one too high skips an event for ever, one that goes backward sends the reader back
 * over what it has seen, and one that counts an append not yet committed skips that append when
 * it commits. Without the method these tests end as skipped, with a note.
 */
export function describeLastPosition(options: EventStoreConformanceOptions): void {
  describe('last position (lastPosition(), optional)', () => {
    const fixture = useStoreFixture(options);

    kitTest('is 0n on a log that holds no event', async (context) => {
      const store = await fixture.open();
      const reported = await lastPositionOrSkip(store, context);
      // Asked second: the kit deletes nothing, so a log empty now was empty when the value was taken.
      if ((await store.readAll({ limit: 1 })).length > 0) {
        context.skip('options.create() gave a log that already holds events: this test did not run');
      }
      expect(reported).toBe(0n);
    });

    kitTest('after appends to several streams, it is the last position the log holds', async (context) => {
      const store = await fixture.open();
      await lastPositionOrSkip(store, context);
      const type = uniqueEventType('last');
      const streams = [uniqueStreamId('last-a'), uniqueStreamId('last-b'), uniqueStreamId('last-c')];
      let appended = await markLogPosition(store);
      for (const [i, size] of [2, 1, 3, 1, 2].entries()) {
        appended = (await store.append(streams[i % 3]!, makeEvents(size, type))).lastPosition;
      }
      const last = await lastPositionOrSkip(store, context);
      expect(last, 'lastPosition() below the last append').toBeGreaterThanOrEqual(appended);
      // Read after it was taken: on a log shared with other writers the value may be theirs, but
      // it must be the position of an event the log holds.
      const later = await readLogPages(store, { after: appended - 1n, pageSize: 100 });
      const positions = later.map((event) => event.position).filter((position) => position <= last);
      expect(positions.at(-1), 'lastPosition() is not the position of an event readAll returns').toBe(last);
    });

    kitTest('never goes backward, and is never below an append that finished before it', async (context) => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('last-forward');
      const type = uniqueEventType('last-forward');
      let previous = await lastPositionOrSkip(store, context);
      for (let i = 0; i < 10; i++) {
        const { lastPosition } = await store.append(streamId, makeEvents(1 + (i % 3), type));
        const values = await Promise.all([store.lastPosition!(), store.lastPosition!()]);
        for (const now of values) {
          expect(now, 'lastPosition() went backward').toBeGreaterThanOrEqual(previous);
          expect(now, 'lastPosition() below an append that had finished').toBeGreaterThanOrEqual(
            lastPosition,
          );
        }
        for (const now of values) if (now > previous) previous = now;
      }
    });

    describeLastPositionPromise(options, fixture, resolveScale(options).raceRepetitions);

    describeSeededLog(options, fixture);

    if (options.createPeer === undefined) {
      skipWithoutOption('createPeer', 'last position across instances');
      return;
    }

    kitTest('two instances over one storage report the same lastPosition()', async (context) => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      await lastPositionOrSkip(store, context);
      const type = uniqueEventType('last-peer');
      const mine = await store.append(uniqueStreamId('last-peer'), makeEvents(2, type));
      // Other writers may append in between: the peer's value lies between the store's two.
      const before = await store.lastPosition!();
      const peers = await peer.lastPosition!();
      const after = await store.lastPosition!();
      expect(before).toBeGreaterThanOrEqual(mine.lastPosition);
      expect(peers, "the peer's lastPosition() is behind the store's").toBeGreaterThanOrEqual(before);
      expect(peers, "the peer's lastPosition() is ahead of the store's").toBeLessThanOrEqual(after);
      const theirs = await peer.append(uniqueStreamId('last-peer'), makeEvents(1, type));
      expect(
        await store.lastPosition!(),
        "the store's lastPosition() misses the peer's append",
      ).toBeGreaterThanOrEqual(theirs.lastPosition);
    });
  });
}

/** A log of its own, started just below 2^53: nothing else writes to it, so the values are exact. */
function describeSeededLog(options: EventStoreConformanceOptions, fixture: StoreFixture): void {
  const { seedPosition } = options;
  if (seedPosition === undefined) {
    skipWithoutOption('seedPosition', 'last position past 2^53');
    return;
  }
  kitTest(
    'on a log started below 2^53, it is exact past 2^53 and never above the start before an append',
    async (context) => {
      const store = await fixture.adopt(seedPosition(BELOW_DOUBLE_LIMIT));
      expect(await lastPositionOrSkip(store, context)).toBeLessThanOrEqual(BELOW_DOUBLE_LIMIT);
      const type = uniqueEventType('last-exact');
      for (const size of [2, 3, 1]) {
        const { lastPosition } = await store.append(uniqueStreamId('last-exact'), makeEvents(size, type));
        expect(await store.lastPosition!(), 'lastPosition() after an append to a log of its own').toBe(
          lastPosition,
        );
      }
      const events = await store.readAll({ after: BELOW_DOUBLE_LIMIT - 1n });
      expect(events.at(-1)?.position).toBe(await store.lastPosition!());
    },
  );
}
