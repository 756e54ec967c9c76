import { ConcurrencyError, type EventStore, type ExpectedVersion } from '@strata/core';
import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { expectRejection } from '../outcome.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** Every kind of expected version, accepted and refused; a refused append writes nothing. */
export function describeExpectedVersion(options: EventStoreConformanceOptions): void {
  describe('expected version', () => {
    const fixture = useStoreFixture(options);
    const type = uniqueEventType('expected');

    /** A stream holding `count` events. */
    async function streamAt(store: EventStore, count: number): Promise<string> {
      const streamId = uniqueStreamId('expected');
      if (count > 0) await store.append(streamId, makeEvents(count, type));
      return streamId;
    }

    /** Asserts a ConcurrencyError with the contract's fields, and that the stream did not change. */
    async function expectRefused(
      store: EventStore,
      streamId: string,
      expectedVersion: ExpectedVersion,
      actualVersion: number,
    ): Promise<void> {
      const before = await store.readStream(streamId);
      const events = makeEvents(2, type);
      const error = await expectRejection(
        () => store.append(streamId, events, { expectedVersion }),
        ConcurrencyError,
      );
      expect(error.code).toBe('STRATA_CONCURRENCY');
      expect(error.streamId).toBe(streamId);
      expect(error.expectedVersion).toBe(expectedVersion);
      expect(error.actualVersion).toBe(actualVersion);
      expect(await store.streamVersion(streamId)).toBe(actualVersion);
      expect(await store.readStream(streamId)).toEqual(before);
      // The refused ids were not kept anywhere: a new append may use them.
      const other = uniqueStreamId('expected-reuse');
      await expect(store.append(other, events)).resolves.toMatchObject({ firstVersion: 1, lastVersion: 2 });
    }

    async function expectAccepted(
      store: EventStore,
      streamId: string,
      expectedVersion: ExpectedVersion,
      currentVersion: number,
    ): Promise<void> {
      const events = makeEvents(2, type);
      const result = await store.append(streamId, events, { expectedVersion });
      expect(result).toMatchObject({
        streamId,
        firstVersion: currentVersion + 1,
        lastVersion: currentVersion + 2,
      });
      const read = await store.readStream(streamId);
      expect(versionsOf(read)).toEqual(range(1, currentVersion + 2));
      expect(idsOf(read.slice(currentVersion))).toEqual(idsOf(events));
    }

    kitTest("'no_stream' creates a new stream", async () => {
      const store = await fixture.open();
      await expectAccepted(store, await streamAt(store, 0), 'no_stream', 0);
    });

    kitTest("'no_stream' on an existing stream is refused", async () => {
      const store = await fixture.open();
      await expectRefused(store, await streamAt(store, 3), 'no_stream', 3);
    });

    kitTest("0 means 'no_stream': accepted on a new stream, refused on an existing one", async () => {
      const store = await fixture.open();
      await expectAccepted(store, await streamAt(store, 0), 0, 0);
      await expectRefused(store, await streamAt(store, 1), 0, 1);
    });

    kitTest("'stream_exists' on a missing stream is refused with actualVersion 0", async () => {
      const store = await fixture.open();
      await expectRefused(store, await streamAt(store, 0), 'stream_exists', 0);
    });

    kitTest("'stream_exists' on an existing stream continues it", async () => {
      const store = await fixture.open();
      await expectAccepted(store, await streamAt(store, 1), 'stream_exists', 1);
      await expectAccepted(store, await streamAt(store, 4), 'stream_exists', 4);
    });

    kitTest('an exact version equal to the current version is accepted', async () => {
      const store = await fixture.open();
      const streamId = await streamAt(store, 3);
      await expectAccepted(store, streamId, 3, 3);
      await expectAccepted(store, streamId, 5, 5);
    });

    kitTest('an exact version below the current version is refused', async () => {
      const store = await fixture.open();
      const streamId = await streamAt(store, 4);
      await expectRefused(store, streamId, 3, 4);
      await expectRefused(store, streamId, 1, 4);
    });

    kitTest('an exact version above the current version is refused', async () => {
      const store = await fixture.open();
      await expectRefused(store, await streamAt(store, 2), 3, 2);
      await expectRefused(store, await streamAt(store, 0), 1, 0);
    });

    kitTest("'any' (and no expectedVersion) appends whatever the version, continuing from it", async () => {
      const store = await fixture.open();
      await expectAccepted(store, await streamAt(store, 0), 'any', 0);
      const streamId = await streamAt(store, 3);
      await expectAccepted(store, streamId, 'any', 3);
      const result = await store.append(streamId, makeEvents(1, type));
      expect(result).toMatchObject({ firstVersion: 6, lastVersion: 6 });
    });

    kitTest('a refused append in a series leaves the next correct one unaffected', async () => {
      const store = await fixture.open();
      const streamId = await streamAt(store, 2);
      await expectRefused(store, streamId, 1, 2);
      await expectAccepted(store, streamId, 2, 2);
      await expectRefused(store, streamId, 2, 4);
      await expectAccepted(store, streamId, 4, 4);
    });
  });
}
