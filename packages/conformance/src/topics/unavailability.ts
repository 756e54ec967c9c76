import { type EventStore, StoreClosedError, StoreUnavailableError } from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition } from '../log-reader.js';
import { describeError, expectRejection, settle } from '../outcome.js';
import { skipWithoutOption } from '../skip-without-option.js';
import { type StoreFixture, useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/**
 * Storage that goes away and comes back (with `options.outage`), and a store that was closed:
 * both surface as core's typed errors, never as a driver's error or as wrong data.
 */
export function describeUnavailability(options: EventStoreConformanceOptions): void {
  describe('unavailability', () => {
    const fixture = useStoreFixture(options);

    kitTest('after close(), every call rejects with StoreClosedError', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('closed');
      const type = uniqueEventType('closed');
      await store.append(streamId, makeEvents(1, type));
      await fixture.close(store);
      const calls: [string, () => Promise<unknown>][] = [
        ['append', () => store.append(streamId, makeEvents(1, type))],
        ['append (new stream)', () => store.append(uniqueStreamId('closed'), makeEvents(1, type))],
        ['readStream', () => store.readStream(streamId)],
        ['readStreams', () => store.readStreams([streamId])],
        ['readAll', () => store.readAll({ limit: 1 })],
        ['streamVersion', () => store.streamVersion(streamId)],
      ];
      for (const [name, call] of calls) {
        const error = await expectRejection(call, StoreClosedError).catch((e: unknown) => {
          throw new Error(`${name}: ${describeError(e)}`);
        });
        expect(error.code).toBe('STRATA_STORE_CLOSED');
      }
    });

    if (options.outage === undefined) {
      skipWithoutOption('outage', 'storage outage');
      return;
    }
    describeOutage(fixture);
  });
}

function describeOutage(fixture: StoreFixture): void {
  const type = uniqueEventType('outage');

  async function expectUnavailable(call: () => Promise<unknown>): Promise<void> {
    const error = await expectRejection(call, StoreUnavailableError);
    expect(error.code).toBe('STRATA_STORE_UNAVAILABLE');
    expect(typeof error.store).toBe('string');
    expect(error.store.length).toBeGreaterThan(0);
    // The driver's error is what an operator needs to see why the storage was unreachable.
    expect(error.cause ?? null, 'StoreUnavailableError.cause must hold the driver error').not.toBeNull();
  }

  /** A stream with 3 events and the position just before them. */
  async function seeded(store: EventStore): Promise<{ streamId: string; after: bigint }> {
    const after = await markLogPosition(store);
    const streamId = uniqueStreamId('outage');
    await store.append(streamId, makeEvents(3, type));
    return { streamId, after };
  }

  kitTest('during an outage, appends reject with StoreUnavailableError and write nothing', async () => {
    const store = await fixture.open();
    const { streamId } = await seeded(store);
    const fresh = uniqueStreamId('outage-new');
    await fixture.beginOutage(store);
    await expectUnavailable(() => store.append(streamId, makeEvents(2, type)));
    await expectUnavailable(() => store.append(streamId, makeEvents(1, type), { expectedVersion: 3 }));
    await expectUnavailable(() => store.append(fresh, makeEvents(1, type), { expectedVersion: 'no_stream' }));
    await fixture.endOutage(store);
    expect(await store.streamVersion(streamId)).toBe(3);
    expect(await store.streamVersion(fresh)).toBe(0);
  });

  kitTest('during an outage, reads reject with StoreUnavailableError or return the right data', async () => {
    const store = await fixture.open();
    const { streamId, after } = await seeded(store);
    const expected = {
      readStream: await store.readStream(streamId),
      readStreams: await store.readStreams([streamId]),
      readAll: await store.readAll({ after, types: [type] }),
      streamVersion: await store.streamVersion(streamId),
    };
    await fixture.beginOutage(store);
    const calls: [keyof typeof expected, () => Promise<unknown>][] = [
      ['readStream', () => store.readStream(streamId)],
      ['readStreams', () => store.readStreams([streamId])],
      ['readAll', () => store.readAll({ after, types: [type] })],
      ['streamVersion', () => store.streamVersion(streamId)],
    ];
    for (const [name, call] of calls) {
      const outcome = await settle(call);
      if (outcome.ok) {
        expect(outcome.value, `${name} during an outage`).toEqual(expected[name]);
      } else if (!StoreUnavailableError.isInstance(outcome.error)) {
        throw new Error(
          `${name} during an outage must throw StoreUnavailableError, not ${describeError(outcome.error)}`,
        );
      } else {
        expect(
          outcome.error.cause ?? null,
          `${name}: StoreUnavailableError.cause must hold the driver error`,
        ).not.toBeNull();
      }
    }
  });

  kitTest('after the outage ends, the same store instance works again', async () => {
    const store = await fixture.open();
    const { streamId, after } = await seeded(store);
    await fixture.beginOutage(store);
    await settle(() => store.append(streamId, makeEvents(1, type)));
    await settle(() => store.readStream(streamId));
    await fixture.endOutage(store);
    const result = await store.append(streamId, makeEvents(2, type), { expectedVersion: 3 });
    expect(result).toMatchObject({ firstVersion: 4, lastVersion: 5 });
    expect(versionsOf(await store.readStream(streamId))).toEqual(range(1, 5));
    expect(await store.readAll({ after, types: [type] })).toHaveLength(5);
    expect((await store.readStreams([streamId])).get(streamId)).toHaveLength(5);
  });

  kitTest('a batch refused during an outage and resent afterwards is written exactly once', async () => {
    const store = await fixture.open();
    const { streamId } = await seeded(store);
    const events = makeEvents(2, type);
    await fixture.beginOutage(store);
    await expectUnavailable(() => store.append(streamId, events, { expectedVersion: 3 }));
    await fixture.endOutage(store);
    const result = await store.append(streamId, events, { expectedVersion: 3 });
    expect(result).toMatchObject({ firstVersion: 4, lastVersion: 5 });
    expect(resultFields(await store.append(streamId, events, { expectedVersion: 3 }))).toEqual(
      resultFields(result),
    );
    expect(idsOf((await store.readStream(streamId)).slice(3))).toEqual(idsOf(events));
  });

  kitTest('the store recovers from several outages in a row', async () => {
    const store = await fixture.open();
    const { streamId } = await seeded(store);
    for (let round = 0; round < 3; round++) {
      await fixture.beginOutage(store);
      await expectUnavailable(() => store.append(streamId, makeEvents(1, type)));
      await fixture.endOutage(store);
      await store.append(streamId, makeEvents(1, type), { expectedVersion: 3 + round });
    }
    expect(await store.streamVersion(streamId)).toBe(6);
  });
}
