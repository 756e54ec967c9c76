import { DuplicateEventError } from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import { type EventStoreConformanceOptions, resolveScale } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition, readOwnEvents } from '../log-reader.js';
import { expectOneWinner, RACE_WRITERS } from '../one-winner-race.js';
import { expectRejection } from '../outcome.js';
import { expectOneIdOwner } from '../shared-id-race.js';
import { kitTestOfStoreWideIds, skipWithoutOption } from '../skip-without-option.js';
import { useStoreFixture } from '../store-fixture.js';
import { idsOf, makeEvents, range, versionsOf } from '../test-events.js';
import { uniqueEventType, uniqueStreamId } from '../unique-names.js';

/**
 * Races inside one instance pass even without any check in storage (an in-process lock serializes
 * them), so only a second instance shows whether the version check and the write are atomic.
 */
const CREATE_PEER_WHY =
  'only a second instance proves that the version check and the write are one atomic step in storage: an adapter serializing appends in-process passes every single-instance race';

/** Two independent instances over one storage (two processes, two connections) see each other. */
export function describeTwoInstances(options: EventStoreConformanceOptions): void {
  if (options.createPeer === undefined) {
    describe('two instances', () => skipWithoutOption('createPeer', 'two-instances', CREATE_PEER_WHY));
    return;
  }
  const { raceRepetitions } = resolveScale(options);
  describe('two instances', () => {
    const fixture = useStoreFixture(options);
    const type = uniqueEventType('peer');

    kitTest('appends through one instance are read through the other, both ways', async () => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      const after = await markLogPosition(store);
      const streamId = uniqueStreamId('peer');
      const first = makeEvents(2, type);
      const second = makeEvents(3, type);
      await store.append(streamId, first);
      expect(await peer.streamVersion(streamId)).toBe(2);
      expect(await peer.readStream(streamId)).toEqual(await store.readStream(streamId));
      await peer.append(streamId, second, { expectedVersion: 2 });
      expect(await store.streamVersion(streamId)).toBe(5);
      const viaStore = await store.readStream(streamId);
      expect(idsOf(viaStore)).toEqual([...idsOf(first), ...idsOf(second)]);
      expect(await peer.readStream(streamId)).toEqual(viaStore);
      expect((await store.readStreams([streamId])).get(streamId)).toEqual(viaStore);
      expect((await peer.readStreams([streamId])).get(streamId)).toEqual(viaStore);
      expect(await readOwnEvents(store, after, [streamId])).toEqual(viaStore);
      expect(await readOwnEvents(peer, after, [streamId])).toEqual(viaStore);
    });

    kitTest('appends alternating between instances form one log with increasing positions', async () => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      const after = await markLogPosition(peer);
      const streams = [uniqueStreamId('peer-log-a'), uniqueStreamId('peer-log-b')];
      const appended: string[] = [];
      for (let i = 0; i < 6; i++) {
        const events = makeEvents(2, type);
        await (i % 2 === 0 ? store : peer).append(streams[i % 3 === 0 ? 0 : 1]!, events);
        appended.push(...idsOf(events));
      }
      for (const reader of [store, peer]) {
        expect(idsOf(await readOwnEvents(reader, after, streams))).toEqual(appended);
      }
    });

    kitTest(`a race between the two instances has exactly one winner (x${raceRepetitions})`, async () => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      const streamId = uniqueStreamId('peer-race');
      await peer.append(streamId, makeEvents(1, type));
      for (let round = 0; round < raceRepetitions; round++) {
        const version = await store.streamVersion(streamId);
        await expectOneWinner(store, [store, peer], streamId, version, version);
        await expectOneWinner(peer, [peer, store], uniqueStreamId('peer-race-new'), 'no_stream', 0);
      }
    });

    kitTestOfStoreWideIds(
      options,
      `the same event ids appended to different streams through both instances at once: one wins, the rest get DuplicateEventError (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        const peer = await fixture.openPeer(store);
        for (let round = 0; round < raceRepetitions; round++) await expectOneIdOwner(store, [store, peer]);
      },
    );

    kitTest(
      `'any' appends from both instances at once keep versions contiguous (x${raceRepetitions})`,
      async () => {
        const store = await fixture.open();
        const peer = await fixture.openPeer(store);
        for (let round = 0; round < raceRepetitions; round++) {
          const streamId = uniqueStreamId('peer-any');
          await Promise.all(
            Array.from({ length: RACE_WRITERS }, (_, i) =>
              (i % 2 === 0 ? store : peer).append(streamId, makeEvents(2, type)),
            ),
          );
          expect(versionsOf(await peer.readStream(streamId))).toEqual(range(1, RACE_WRITERS * 2));
        }
      },
    );

    kitTest('a batch committed through one instance is an idempotent retry through the other', async () => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      const streamId = uniqueStreamId('peer-retry');
      const events = makeEvents(2, type);
      const original = await store.append(streamId, events, { expectedVersion: 'no_stream' });
      expect(resultFields(await peer.append(streamId, events, { expectedVersion: 'no_stream' }))).toEqual(
        resultFields(original),
      );
      expect(await peer.streamVersion(streamId)).toBe(2);
      const error = await expectRejection(
        () => peer.append(uniqueStreamId('peer-dup'), events),
        DuplicateEventError,
      );
      expect(error.eventId).toBe(events[0]!.id);
    });

    kitTest('closing one instance leaves the other usable', async () => {
      const store = await fixture.open();
      const peer = await fixture.openPeer(store);
      const streamId = uniqueStreamId('peer-close');
      await peer.append(streamId, makeEvents(1, type));
      await fixture.close(peer);
      await store.append(streamId, makeEvents(1, type), { expectedVersion: 1 });
      expect(versionsOf(await store.readStream(streamId))).toEqual([1, 2]);
    });
  });
}
