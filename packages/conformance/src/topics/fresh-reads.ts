import type { EventStore, RecordedEvent } from '@strata/core';
import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition } from '../log-reader.js';
import { mutateDeeply, reachableObjects } from '../reachable-objects.js';
import { useStoreFixture } from '../store-fixture.js';
import { uniqueEventId, uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** Two streams of events with nested data and metadata, appended once per test. */
interface Seeded {
  streams: [string, string];
  type: string;
  after: bigint;
}

/** One way of reading the seeded events: what it returns, and the seeded events in it. */
interface ReadMethod {
  name: string;
  read(store: EventStore, seeded: Seeded): Promise<unknown>;
  /** The seeded events of a result, in order: `readAll` without `types` may hold others' too. */
  own(result: unknown, seeded: Seeded): RecordedEvent[];
}

const ownOfList = (result: unknown, seeded: Seeded): RecordedEvent[] =>
  (result as RecordedEvent[]).filter((event) => seeded.streams.includes(event.streamId));

const READ_METHODS: ReadMethod[] = [
  { name: 'readStream', read: (store, s) => store.readStream(s.streams[0]), own: ownOfList },
  {
    name: 'readStream backward',
    read: (store, s) => store.readStream(s.streams[0], { direction: 'backward' }),
    own: ownOfList,
  },
  {
    name: 'readStreams',
    read: (store, s) => store.readStreams([...s.streams]),
    own: (result, s) => s.streams.flatMap((id) => (result as Map<string, RecordedEvent[]>).get(id) ?? []),
  },
  { name: 'readAll', read: (store, s) => store.readAll({ after: s.after }), own: ownOfList },
  {
    name: 'readAll with types',
    read: (store, s) => store.readAll({ after: s.after, types: [s.type] }),
    own: ownOfList,
  },
];

function seededEvent(type: string, n: number) {
  return {
    id: uniqueEventId(),
    type,
    data: { n, lines: [{ sku: `sku-${n}`, qty: n }], customer: { address: { city: 'Utrecht' } } },
    metadata: { user: { id: `u${n}`, roles: ['clerk'] } },
    occurredAt: new Date(Date.UTC(2024, 0, n)),
  };
}

/**
 * Reads hand out fresh objects: every read's events, their data, metadata and `Date`s, and the
 * array or map holding them, belong to the caller alone. Wrappers (`withEncryption`,
 * `withUpcasting`) transform what their inner store returned in place, so a store that shared
 * objects would let one reader's change, or decrypted plaintext, reach every other read.
 */
export function describeFreshReads(options: EventStoreConformanceOptions): void {
  describe('fresh read results', () => {
    const fixture = useStoreFixture(options);

    async function seed(store: EventStore): Promise<Seeded> {
      const type = uniqueEventType('fresh');
      const streams: [string, string] = [uniqueStreamId('fresh-a'), uniqueStreamId('fresh-b')];
      const after = await markLogPosition(store);
      await store.append(
        streams[0],
        [1, 2, 3].map((n) => seededEvent(type, n)),
      );
      await store.append(
        streams[1],
        [4, 5].map((n) => seededEvent(type, n)),
      );
      return { streams, type, after };
    }

    /** Fails naming an object `first` and `second` both hold, and where. */
    function expectNothingShared(first: unknown, second: unknown, what: string): void {
      const seen = reachableObjects(first, 'first');
      for (const [object, path] of reachableObjects(second, 'second')) {
        const earlier = seen.get(object);
        if (earlier !== undefined) {
          expect.fail(
            `${what}: ${path} is the same object as ${earlier}. Every read must hand out new objects ` +
              '(decode the stored JSON on each read, or copy what a cache holds), so that a caller ' +
              'changing its result changes nothing another read returns',
          );
        }
      }
    }

    for (const method of READ_METHODS) {
      kitTest(`${method.name}: changing a result deeply changes nothing a later read returns`, async () => {
        const store = await fixture.open();
        const seeded = await seed(store);
        const first = await method.read(store, seeded);
        const expected = structuredClone(method.own(first, seeded));
        expect(expected.length).toBeGreaterThan(0);
        mutateDeeply(first);
        const again = await method.read(store, seeded);
        expect(
          method.own(again, seeded),
          `${method.name} after the caller changed an earlier result`,
        ).toEqual(expected);
      });

      kitTest(`${method.name}: two reads share no object, nor do two events of one read`, async () => {
        const store = await fixture.open();
        const seeded = await seed(store);
        const first = await method.read(store, seeded);
        const second = await method.read(store, seeded);
        expectNothingShared(first, second, `two calls of ${method.name}`);
        const events = method.own(first, seeded);
        for (let i = 1; i < events.length; i++) {
          expectNothingShared(events.slice(0, i), events[i], `events of one ${method.name}`);
        }
      });
    }

    kitTest('different read methods share no object', async () => {
      const store = await fixture.open();
      const seeded = await seed(store);
      const results = [];
      for (const method of READ_METHODS) results.push(method.own(await method.read(store, seeded), seeded));
      for (let i = 1; i < results.length; i++) {
        expectNothingShared(results.slice(0, i), results[i], `${READ_METHODS[i]!.name} and earlier reads`);
      }
    });

    kitTest('AppendResult.events, when present, share no object with reads', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('fresh-appended');
      const result = await store.append(streamId, [seededEvent(uniqueEventType('fresh'), 1)]);
      const read = await store.readStream(streamId);
      // The field is optional: without it there is nothing to share, and this test passes.
      if (result.events !== undefined)
        expectNothingShared(result.events, read, 'result.events and readStream');
      const expected = structuredClone(read);
      mutateDeeply(read);
      if (result.events !== undefined) mutateDeeply(result.events);
      expect(await store.readStream(streamId)).toEqual(expected);
    });
  });
}
