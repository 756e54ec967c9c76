import {
  type EventStore,
  iterateAll,
  iterateStream,
  type RecordedEvent,
  SerializationError,
  ValidationError,
} from '@strata/core';
import { MemoryEventStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { describe, expect, it } from 'vitest';
import { defineUpcasters, withUpcasting } from '../src/index.js';
import { splitChain, splitRead, writeSplitHistory } from './split-chain.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function shapes(events: readonly RecordedEvent[]) {
  return events.map((e) => [e.version, e.type, e.schemaVersion, e.data]);
}

async function seeded(inner: EventStore) {
  const streamId = `order-${crypto.randomUUID()}`;
  await writeSplitHistory(inner, streamId);
  const stored = await inner.readStream(streamId);
  return { inner, store: withUpcasting(inner, splitChain), streamId, stored };
}

describe.each([
  ['MemoryEventStore', () => new MemoryEventStore()],
  ['SqliteEventStore', () => createSqliteEventStore({ database: ':memory:' })],
])('split events over %s', (_, create: () => EventStore) => {
  it('the parts of one stored event share no metadata or time object: each belongs to the caller', async () => {
    const { store, streamId } = await seeded(create());
    const read = await store.readStream(streamId);
    const parts = read.filter((event, i) =>
      read.some((other, j) => j !== i && other.version === event.version),
    );
    expect(parts.length).toBeGreaterThan(1);
    (parts[0]!.metadata as Record<string, unknown>).changed = true;
    parts[0]!.occurredAt.setTime(0);
    parts[0]!.recordedAt.setTime(0);
    for (const part of parts.slice(1)) {
      expect(part.metadata).not.toHaveProperty('changed');
      expect(part.occurredAt.getTime()).not.toBe(0);
      expect(part.recordedAt.getTime()).not.toBe(0);
    }
  });

  it('readStream returns the parts in place of the stored event, with its version and position', async () => {
    const { store, streamId, stored } = await seeded(create());
    const read = await store.readStream(streamId);
    expect(shapes(read)).toEqual(splitRead);
    const storedAt = (version: number) => stored[version - 1]!;
    for (const event of read) {
      expect(event.position).toBe(storedAt(event.version).position);
      expect(event.streamId).toBe(streamId);
      expect(event.streamType).toBe('order');
      expect(event.occurredAt).toEqual(storedAt(event.version).occurredAt);
    }
    // Positions and versions never go backwards; the stream's version is the stored one.
    for (let i = 1; i < read.length; i++) {
      expect(read[i]!.version).toBeGreaterThanOrEqual(read[i - 1]!.version);
      expect(read[i]!.position).toBeGreaterThanOrEqual(read[i - 1]!.position);
    }
    expect(await store.streamVersion(streamId)).toBe(4);
    await store.close();
  });

  it('gives each part an id of its own, the same on every read, and keeps the ids of events that do not split', async () => {
    const { inner, store, streamId, stored } = await seeded(create());
    const first = (await store.readStream(streamId)).map((e) => e.id);
    const again = withUpcasting(inner, splitChain); // another wrapper: ids do not depend on the instance
    expect((await again.readStream(streamId)).map((e) => e.id)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const storedIds = stored.map((e) => e.id);
    expect(first[2]).toBe(storedIds[1]); // current, not split: its own id
    expect(first[6]).toBe(storedIds[3]);
    for (const i of [0, 1, 3, 4, 5]) {
      expect(first[i]).toMatch(UUID_V5);
      expect(storedIds).not.toContain(first[i]);
    }
  });

  it('reads backward as the exact reverse of a forward read', async () => {
    const { store, streamId } = await seeded(create());
    const forward = await store.readStream(streamId);
    const backward = await store.readStream(streamId, { direction: 'backward' });
    expect(backward.map((e) => e.id)).toEqual(forward.map((e) => e.id).reverse());
  });

  it('keeps every part of a stored event on one page, so limit and fromVersion cursors stay right', async () => {
    const { store, streamId } = await seeded(create());
    // `limit` counts stored events: the one at version 1 is two events, returned together.
    expect(shapes(await store.readStream(streamId, { limit: 1 }))).toEqual(splitRead.slice(0, 2));
    expect(shapes(await store.readStream(streamId, { fromVersion: 3, limit: 1 }))).toEqual(
      splitRead.slice(3, 6),
    );
    expect(shapes(await store.readStream(streamId, { fromVersion: 2, toVersion: 3 }))).toEqual(
      splitRead.slice(2, 6),
    );
    const paged: RecordedEvent[] = [];
    for await (const event of iterateStream(store, streamId, { batchSize: 1 })) paged.push(event);
    expect(shapes(paged)).toEqual(splitRead);
    const streams = await store.readStreams([streamId, 'missing'], { fromVersion: 3 });
    expect(shapes(streams.get(streamId)!)).toEqual(splitRead.slice(3));
    expect(streams.get('missing')).toEqual([]);
  });

  it('readAll: a checkpoint at the last position read never resumes in the middle of a stored event', async () => {
    const { store, streamId } = await seeded(create());
    const all = (await store.readAll()).filter((e) => e.streamId === streamId);
    expect(shapes(all)).toEqual(splitRead);
    // A position-based runner: read `limit` 1 after the checkpoint, apply, save the last position.
    let checkpoint = 0n;
    const applied: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ after: checkpoint, limit: 1 });
      if (page.length === 0) break;
      applied.push(...page);
      checkpoint = page[page.length - 1]!.position;
    }
    expect(shapes(applied.filter((e) => e.streamId === streamId))).toEqual(splitRead);
    expect(new Set(applied.map((e) => e.id)).size).toBe(applied.length);
    const iterated: RecordedEvent[] = [];
    for await (const event of iterateAll(store, { batchSize: 2 })) iterated.push(event);
    expect(iterated.map((e) => e.id)).toEqual(applied.map((e) => e.id));
  });

  it('a type filter returns only the parts of that type, and fills the page past stored events with none', async () => {
    const { store, streamId } = await seeded(create());
    const shipping = await store.readAll({ types: ['order.shipping-set'] });
    expect(shipping.map((e) => e.data)).toEqual([
      { address: 'Paris' },
      { address: 'Lyon' },
      { address: 'Nice' },
    ]);
    // Page by page, limit 1: the cake order (stored as a current `order.placed`, no shipping part)
    // is read and left out, and the page still holds an event, so a consumer does not stop early.
    let after = 0n;
    const pages: unknown[][] = [];
    for (;;) {
      const page = await store.readAll({ after, limit: 1, types: ['order.shipping-set'] });
      if (page.length === 0) break;
      expect(page).toHaveLength(1);
      pages.push(page.map((e) => e.data));
      after = page[0]!.position;
    }
    expect(pages).toEqual([[{ address: 'Paris' }], [{ address: 'Lyon' }], [{ address: 'Nice' }]]);
    const notes = await store.readAll({ types: ['order.note-added', 'unrelated'] });
    expect(notes.map((e) => [e.type, e.data])).toEqual([
      ['unrelated', {}],
      ['order.note-added', { note: 'gift' }],
    ]);
    const placed = await store.readAll({ types: ['order.placed'], limit: 0 });
    expect(placed).toEqual([]);
    expect(
      (await store.readAll({ types: ['order.placed'] }))
        .filter((e) => e.streamId === streamId)
        .map((e) => e.data),
    ).toEqual([
      { item: 'tea', qty: 1 },
      { item: 'cake', qty: 2 },
      { item: 'jam', qty: 1 },
    ]);
    await expect(store.readAll({ types: ['OrderWithNote'] })).rejects.toThrow(ValidationError);
  });

  it('appends stay current: an old name that splits is refused before anything is written', async () => {
    const { inner, store, streamId } = await seeded(create());
    await expect(
      store.append(streamId, [{ type: 'OrderWithNote', data: { item: 'x', address: 'y', note: 'z' } }]),
    ).rejects.toThrow(ValidationError);
    const result = await store.append(streamId, [{ type: 'order.placed', data: { item: 'tea', qty: 3 } }], {
      expectedVersion: 4,
    });
    expect(result.lastVersion).toBe(5);
    expect((await inner.readStream(streamId, { fromVersion: 5 }))[0]?.schemaVersion).toBe(3);
  });

  it('a split that returns the wrong number of payloads is a SerializationError naming the event', async () => {
    const broken = defineUpcasters({ a: 1, b: 1 }, [
      {
        type: 'ab',
        fromVersion: 1,
        into: [
          { type: 'a', version: 1 },
          { type: 'b', version: 1 },
        ],
        split: (data: unknown) => [data],
      },
    ]);
    const inner = create();
    const { firstVersion } = await inner.append('s-1', [{ type: 'ab', data: {} }]);
    const store = withUpcasting(inner, broken);
    const error = await store.readStream('s-1').catch((e: unknown) => e);
    expect(SerializationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/must return 2 payloads.*stream "s-1", version 1/);
    expect(firstVersion).toBe(1);
  });
});
