import {
  type EventStore,
  type RecordedEvent,
  SerializationError,
  StoreClosedError,
  ValidationError,
} from '@strata/core';
import { MemoryEventStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { bareEventStore } from '@strata/vitest-preset/bare-event-store';
import { describe, expect, it } from 'vitest';
import { defineUpcasters, withUpcasting } from '../src/index.js';
import { userRegisteredUpcasters } from './user-registered-upcasters.js';

// The seed's kind of history (user-registered-upcasters.ts): v1 had one `name`, v2 split it, v3 added
// a default; an older program called the event `UserCreated` (with `full_name`) before it got its
// stable name. `user.renamed` is current at 1 and has no history.
const chain = defineUpcasters({ 'user.registered': 3, 'user.renamed': 1 }, userRegisteredUpcasters);

const current = { first: 'Ada', last: 'Lovelace', locale: 'en' };

/** One stream holding every stored shape, written past the wrapper, as an older program did. */
async function seeded(
  inner: EventStore = new MemoryEventStore(),
): Promise<{ inner: EventStore; store: EventStore; streamId: string; after: bigint }> {
  const store = withUpcasting(inner, chain);
  const before = await inner.append('other', [{ type: 'unrelated', data: {} }]);
  const streamId = `user-${crypto.randomUUID()}`;
  await inner.append(streamId, [
    { type: 'UserCreated', data: { full_name: 'Ada Lovelace' } },
    { type: 'user.registered', data: { name: 'Ada Lovelace' }, schemaVersion: 1 },
    { type: 'user.registered', data: { first: 'Ada', last: 'Lovelace' }, schemaVersion: 2 },
    { type: 'user.registered', data: current, schemaVersion: 3 },
    { type: 'user.renamed', data: { to: 'Ada King' } },
    { type: 'not.managed', data: { x: 1 }, schemaVersion: 7 },
  ]);
  return { inner, store, streamId, after: before.lastPosition };
}

function shapes(events: readonly RecordedEvent[]) {
  return events.map((e) => [e.version, e.type, e.schemaVersion, e.data]);
}

const expected = [
  [1, 'user.registered', 3, current],
  [2, 'user.registered', 3, current],
  [3, 'user.registered', 3, current],
  [4, 'user.registered', 3, current],
  [5, 'user.renamed', 1, { to: 'Ada King' }],
  [6, 'not.managed', 7, { x: 1 }],
];

describe.each([
  ['MemoryEventStore', () => new MemoryEventStore()],
  ['SqliteEventStore', () => createSqliteEventStore({ database: ':memory:' })],
])('every read path over %s', (_, create: () => EventStore) => {
  it('readStream, readStreams and readAll return current events with the stored ids, versions and positions', async () => {
    const { inner, store, streamId, after } = await seeded(create());
    expect(shapes(await store.readStream(streamId))).toEqual(expected);
    expect(shapes(await store.readStream(streamId, { direction: 'backward', fromVersion: 2 }))).toEqual(
      expected.slice(1).reverse(),
    );
    expect(shapes((await store.readStreams([streamId], { fromVersion: 2 })).get(streamId)!)).toEqual(
      expected.slice(1),
    );
    expect(shapes(await store.readAll({ after }))).toEqual(expected);
    expect(shapes(await store.readAll({ after, types: ['user.registered'] }))).toEqual(expected.slice(0, 4));
    const where = (e: RecordedEvent) => [e.id, e.version, e.position];
    expect((await store.readAll({ after })).map(where)).toEqual((await inner.readAll({ after })).map(where));
    await inner.close();
  });
});

describe('reads return every event at its current schema version', () => {
  it('readStream, forward, backward and in ranges', async () => {
    const { store, streamId } = await seeded();
    expect(shapes(await store.readStream(streamId))).toEqual(expected);
    expect(shapes(await store.readStream(streamId, { direction: 'backward', limit: 5 }))).toEqual(
      expected.slice(1).reverse(),
    );
    expect(shapes(await store.readStream(streamId, { fromVersion: 2, toVersion: 3 }))).toEqual(
      expected.slice(1, 3),
    );
  });

  it('keeps ids, versions, positions, metadata and times of the stored events', async () => {
    const { inner, store, streamId } = await seeded();
    const stored = await inner.readStream(streamId);
    const read = await store.readStream(streamId);
    const identity = (e: RecordedEvent) => [
      e.id,
      e.streamId,
      e.streamType,
      e.version,
      e.position,
      e.metadata,
      e.occurredAt,
      e.recordedAt,
    ];
    expect(read.map(identity)).toEqual(stored.map(identity));
    expect(shapes(stored)[0]).toEqual([1, 'UserCreated', 1, { full_name: 'Ada Lovelace' }]); // storage is untouched
  });

  it('readStreams, with fromVersion, and for a missing stream', async () => {
    const { store, streamId } = await seeded();
    const streams = await store.readStreams([streamId, 'missing'], { fromVersion: 2 });
    expect(shapes(streams.get(streamId)!)).toEqual(expected.slice(1));
    expect(streams.get('missing')).toEqual([]);
  });

  it('readAll, paged', async () => {
    const { store, after } = await seeded();
    expect(shapes(await store.readAll({ after }))).toEqual(expected);
    const first = await store.readAll({ after, limit: 2 });
    expect(shapes(first)).toEqual(expected.slice(0, 2));
    expect(shapes(await store.readAll({ after: first[1]!.position }))).toEqual(expected.slice(2));
  });

  it('readAll({ types }) with a current type also returns the events stored under its old names', async () => {
    const { inner, store, after } = await seeded();
    expect(shapes(await store.readAll({ after, types: ['user.registered'] }))).toEqual(expected.slice(0, 4));
    expect(shapes(await store.readAll({ after, types: ['user.registered'], limit: 1 }))).toEqual(
      expected.slice(0, 1),
    );
    expect(shapes(await store.readAll({ after, types: ['user.renamed', 'not.managed'] }))).toEqual(
      expected.slice(4),
    );
    expect(await store.readAll({ after, types: [] })).toEqual(await inner.readAll({ after, types: [] }));
  });

  it('readAll({ types }) refuses an old name, pointing at the current one', async () => {
    const { store } = await seeded();
    const read = store.readAll({ types: ['user.renamed', 'UserCreated'] });
    await expect(read).rejects.toSatisfy(ValidationError.isInstance);
    await expect(read).rejects.toThrow(/options\.types\[1\].*"user\.registered"/);
  });

  it('returns the events of a current stream as the store gave them (nothing to upcast)', async () => {
    const inner = new MemoryEventStore();
    const store = withUpcasting(inner, chain);
    await store.append('s', [
      { type: 'user.registered', data: current },
      { type: 'user.renamed', data: {} },
    ]);
    const reads = [await inner.readStream('s'), await store.readStream('s')];
    expect(reads[1]).toEqual(reads[0]);
  });

  it('refuses to read an event stored at a version newer than the current one', async () => {
    const inner = new MemoryEventStore();
    const store = withUpcasting(inner, chain);
    await inner.append('s', [{ type: 'user.registered', data: {}, schemaVersion: 4 }]);
    const read = store.readStream('s');
    await expect(read).rejects.toSatisfy(SerializationError.isInstance);
    await expect(read).rejects.toThrow(/schema version 4, newer than the current 3/);
  });

  it('wraps an upcaster that throws in a SerializationError naming the event', async () => {
    const inner = new MemoryEventStore();
    const store = withUpcasting(inner, chain);
    const { lastPosition } = await inner.append('s', [{ type: 'UserCreated', data: {} }]);
    const read = store.readAll({ after: lastPosition - 1n });
    await expect(read).rejects.toSatisfy(SerializationError.isInstance);
    await expect(read).rejects.toThrow(
      /upcaster from schema version 1 failed on event .* \(stream "s", version 1\)/,
    );
  });
});

describe('an upcaster that returns nothing', () => {
  it('is a SerializationError naming the event, not an event without data', async () => {
    const forgetful = defineUpcasters({ 'user.registered': 2 }, [
      { type: 'user.registered', fromVersion: 1, upcast: () => undefined },
    ]);
    const inner = new MemoryEventStore();
    await inner.append('s', [{ type: 'user.registered', data: {} }]);
    const read = withUpcasting(inner, forgetful).readStream('s');
    await expect(read).rejects.toSatisfy(SerializationError.isInstance);
    await expect(read).rejects.toThrow(
      /upcaster from schema version 1 returned undefined for event .* \(stream "s", version 1\)/,
    );
  });
});

describe('appends stamp the current schema version', () => {
  it('stamps it on new events, and AppendResult.events are current', async () => {
    const inner = new MemoryEventStore();
    const store = withUpcasting(inner, chain);
    const input = [
      { type: 'user.registered', data: current },
      { type: 'not.managed', data: {} },
    ];
    const result = await store.append('s', input);
    expect(shapes(result.events!)).toEqual([
      [1, 'user.registered', 3, current],
      [2, 'not.managed', 1, {}],
    ]);
    expect((await inner.readStream('s')).map((e) => e.schemaVersion)).toEqual([3, 1]);
    expect(input[0]).not.toHaveProperty('schemaVersion'); // the caller's events are not changed
  });

  it('accepts an event already stamped with the current version', async () => {
    const store = withUpcasting(new MemoryEventStore(), chain);
    await store.append('s', [{ type: 'user.registered', data: current, schemaVersion: 3 }]);
    expect((await store.readStream('s'))[0]!.schemaVersion).toBe(3);
  });

  it('refuses an old or unknown version and an old type name, writing nothing', async () => {
    const inner = new MemoryEventStore();
    const store = withUpcasting(inner, chain);
    const refused: [object, RegExp][] = [
      [
        { type: 'user.registered', data: {}, schemaVersion: 2 },
        /events\[1\]\.schemaVersion.*at schema version 3/,
      ],
      [{ type: 'user.registered', data: {}, schemaVersion: 4 }, /events\[1\]\.schemaVersion/],
      [{ type: 'UserCreated', data: {} }, /events\[1\]\.type.*old name of "user\.registered"/],
    ];
    for (const [event, message] of refused) {
      const append = store.append('s', [{ type: 'user.renamed', data: {} }, event as never]);
      await expect(append).rejects.toSatisfy(ValidationError.isInstance);
      await expect(append).rejects.toThrow(message);
    }
    expect(await inner.streamVersion('s')).toBe(0);
  });

  it('leaves malformed input to the store, which refuses it as it would without the wrapper', async () => {
    const store = withUpcasting(new MemoryEventStore(), chain);
    await expect(store.append('s', null as never)).rejects.toSatisfy(ValidationError.isInstance);
    await expect(store.append('s', [null as never])).rejects.toSatisfy(ValidationError.isInstance);
  });
});

describe('the wrapper', () => {
  it('passes streamVersion, storageId and lastPosition through', async () => {
    const { inner, store, streamId } = await seeded();
    expect(await store.streamVersion(streamId)).toBe(6);
    expect(await store.storageId!()).toBe(await inner.storageId!());
    expect(await store.lastPosition!()).toBe(await inner.lastPosition!());
    const withoutId: EventStore = bareEventStore(inner);
    expect(withUpcasting(withoutId, chain).storageId).toBeUndefined();
    expect(withUpcasting(withoutId, chain).lastPosition).toBeUndefined();
    await store.close();
    await expect(store.lastPosition!()).rejects.toSatisfy(StoreClosedError.isInstance);
  });

  it('is closed on its own; the store it wraps stays open', async () => {
    const { inner, store, streamId } = await seeded();
    await store.close();
    await expect(store.readStream(streamId)).rejects.toSatisfy(StoreClosedError.isInstance);
    await expect(store.append(streamId, [])).rejects.toSatisfy(StoreClosedError.isInstance);
    expect(await inner.streamVersion(streamId)).toBe(6);
  });
});
