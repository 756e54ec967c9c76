import { type EventStore, ValidationError } from '@strata/core';
import { describe, expect } from 'vitest';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition } from '../log-reader.js';
import { expectRejection } from '../outcome.js';
import { useStoreFixture } from '../store-fixture.js';
import { makeEvents } from '../test-events.js';
import { uniqueEventId, uniqueEventType, uniqueStreamId } from '../unique-names.js';

const TOO_LONG = 'x'.repeat(256);
const LONGEST = 255;

/** Bad input as callers really send it: the kit's calls bypass the types on purpose. */
type Loose = never;

/** Adds which case failed to an assertion error from a loop over cases. */
function relabel(label: string, error: unknown): never {
  if (error instanceof Error) error.message = `${label}: ${error.message}`;
  throw error;
}

/** [label, path the ValidationError must name, a bad event replacing a good one]. */
function badEvents(type: string): [string, string, unknown][] {
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  return [
    ['an empty type', 'events[0].type', { type: '', data: 1 }],
    ['a 256-character type', 'events[0].type', { type: TOO_LONG, data: 1 }],
    ['a missing type', 'events[0].type', { data: 1 }],
    ['a type holding U+0000', 'events[0].type', { type: `${type}\u0000`, data: 1 }],
    ['a type with a lone surrogate', 'events[0].type', { type: `${type}\ud800`, data: 1 }],
    ['an empty id', 'events[0].id', { id: '', type, data: 1 }],
    ['an id holding U+0000', 'events[0].id', { id: `id\u0000${type}`, type, data: 1 }],
    ['an id with a lone surrogate', 'events[0].id', { id: `\udc00${type}`, type, data: 1 }],
    ['a 256-character id', 'events[0].id', { id: TOO_LONG, type, data: 1 }],
    ['a cycle in data', 'events[0].data.self', { type, data: cycle }],
    ['a BigInt in data', 'events[0].data.amount', { type, data: { amount: 10n } }],
    ['a function in data', 'events[0].data.fn', { type, data: { fn: () => 1 } }],
    ['a symbol in data', 'events[0].data.list[1]', { type, data: { list: [1, Symbol('s')] } }],
    ['undefined data', 'events[0].data', { type, data: undefined }],
    ['undefined inside an array', 'events[0].data[0]', { type, data: [undefined] }],
    ['a Date in data', 'events[0].data.when', { type, data: { when: new Date() } }],
    ['a Map as data', 'events[0].data', { type, data: new Map([['a', 1]]) }],
    ['a class instance in data', 'events[0].data.item', { type, data: { item: new (class Item {})() } }],
    ['NaN in data', 'events[0].data.n', { type, data: { n: Number.NaN } }],
    ['Infinity in data', 'events[0].data.n', { type, data: { n: Number.POSITIVE_INFINITY } }],
    ['array metadata', 'events[0].metadata', { type, data: 1, metadata: ['a'] }],
    ['string metadata', 'events[0].metadata', { type, data: 1, metadata: 'trace' }],
    ['a BigInt in metadata', 'events[0].metadata.trace', { type, data: 1, metadata: { trace: 1n } }],
    ['an invalid occurredAt', 'events[0].occurredAt', { type, data: 1, occurredAt: new Date(Number.NaN) }],
    ['a string occurredAt', 'events[0].occurredAt', { type, data: 1, occurredAt: '2024-01-01' }],
    ['schemaVersion 0', 'events[0].schemaVersion', { type, data: 1, schemaVersion: 0 }],
    ['a fractional schemaVersion', 'events[0].schemaVersion', { type, data: 1, schemaVersion: 1.5 }],
    ['a null event', 'events[0]', null],
    ['a string event', 'events[0]', 'event'],
  ];
}

/** Bad input is a ValidationError that names the offending path, and nothing is written. */
export function describeValidation(options: EventStoreConformanceOptions): void {
  describe('validation', () => {
    const fixture = useStoreFixture(options);

    /** Asserts a ValidationError at `path`, with the stream still at version 1 and no event of `type` in the log. */
    async function expectInvalidAppend(
      store: EventStore,
      path: string,
      call: (streamId: string) => Promise<unknown>,
      type: string,
    ): Promise<void> {
      const streamId = uniqueStreamId('validation');
      await store.append(streamId, makeEvents(1, uniqueEventType('validation-before')));
      const after = await markLogPosition(store);
      const error = await expectRejection(() => call(streamId), ValidationError);
      expect(error.code).toBe('STRATA_VALIDATION');
      expect(error.path, error.message).toBe(path);
      expect(await store.streamVersion(streamId)).toBe(1);
      expect(await store.readAll({ after, types: [type] })).toEqual([]);
    }

    kitTest('each invalid event is a ValidationError at its path, even after valid events', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('validation');
      for (const [label, path, bad] of badEvents(type)) {
        const alone = [bad as Loose];
        const afterValid = [...makeEvents(2, type), bad as Loose];
        await expectInvalidAppend(store, path, (streamId) => store.append(streamId, alone), type).catch(
          (error: unknown) => relabel(label, error),
        );
        const shifted = path.replace('events[0]', 'events[2]');
        await expectInvalidAppend(
          store,
          shifted,
          (streamId) => store.append(streamId, afterValid),
          type,
        ).catch((error: unknown) => relabel(`${label} after two valid events`, error));
      }
    });

    kitTest('bad stream ids, stream types and event lists', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('validation');
      const events = makeEvents(1, type);
      const cases: [string, (streamId: string) => Promise<unknown>][] = [
        ['streamId', () => store.append('', events)],
        ['streamId', () => store.append(TOO_LONG, events)],
        ['streamId', () => store.append(42 as Loose, events)],
        ['streamId', (id) => store.append(`${id}\u0000`, events)],
        ['streamId', (id) => store.append(`${id}\ud83d`, events)],
        ['options.streamType', (id) => store.append(id, events, { streamType: 'type\u0000' })],
        ['options.streamType', (id) => store.append(id, events, { streamType: '' })],
        ['options.streamType', (id) => store.append(id, events, { streamType: TOO_LONG })],
        ['events', (id) => store.append(id, [])],
        ['events', (id) => store.append(id, 'events' as Loose)],
        ['events', (id) => store.append(id, { 0: events[0] } as Loose)],
      ];
      for (const [path, call] of cases) await expectInvalidAppend(store, path, call, type);
    });

    kitTest('negative, fractional and unknown expected versions', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('validation');
      for (const expectedVersion of [
        -1,
        1.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        2 ** 53,
        'latest',
        '1',
        true,
      ]) {
        await expectInvalidAppend(
          store,
          'options.expectedVersion',
          (id) => store.append(id, makeEvents(1, type), { expectedVersion: expectedVersion as Loose }),
          type,
        ).catch((error: unknown) => relabel(`expectedVersion ${String(expectedVersion)}`, error));
      }
    });

    kitTest('names of exactly 255 characters are accepted', async () => {
      const store = await fixture.open();
      const pad = (prefix: string) => prefix + 'x'.repeat(LONGEST - prefix.length);
      const streamId = pad(uniqueStreamId('longest'));
      const type = pad(uniqueEventType('longest'));
      const id = pad(uniqueEventId());
      const streamType = pad('type-');
      await store.append(streamId, [{ id, type, data: 1 }], { streamType });
      const [read] = await store.readStream(streamId);
      expect(read).toMatchObject({ id, type, streamId, streamType });
      expect(await store.readAll({ after: read!.position - 1n, types: [type] })).toHaveLength(1);
    });

    kitTest('bad readStream, readStreams, readAll and streamVersion arguments', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('validation-read');
      await store.append(streamId, makeEvents(2, uniqueEventType('validation-read')));
      const cases: [string, () => Promise<unknown>][] = [
        ['streamId', () => store.readStream('')],
        ['streamId', () => store.readStream(TOO_LONG)],
        ['options.fromVersion', () => store.readStream(streamId, { fromVersion: -1 })],
        ['options.fromVersion', () => store.readStream(streamId, { fromVersion: 1.5 })],
        ['options.toVersion', () => store.readStream(streamId, { toVersion: -1 })],
        ['options.toVersion', () => store.readStream(streamId, { toVersion: '2' as Loose })],
        ['options.limit', () => store.readStream(streamId, { limit: -1 })],
        ['options.limit', () => store.readStream(streamId, { limit: 2.5 })],
        ['options.direction', () => store.readStream(streamId, { direction: 'sideways' as Loose })],
        ['streamIds', () => store.readStreams(streamId as Loose)],
        ['streamIds[1]', () => store.readStreams([streamId, ''])],
        ['streamIds[0]', () => store.readStreams([TOO_LONG])],
        ['options.fromVersion', () => store.readStreams([streamId], { fromVersion: -1 })],
        ['options.after', () => store.readAll({ after: -1n })],
        ['options.after', () => store.readAll({ after: 5 as Loose })],
        ['options.limit', () => store.readAll({ limit: -1 })],
        ['options.limit', () => store.readAll({ limit: 1.5 })],
        ['options.types', () => store.readAll({ types: 'type' as Loose })],
        ['options.types[1]', () => store.readAll({ types: ['ok', ''] })],
        ['streamId', () => store.streamVersion('')],
        ['streamId', () => store.streamVersion(TOO_LONG)],
      ];
      const wrong: string[] = [];
      for (const [path, call] of cases) {
        const error = await expectRejection(call, ValidationError);
        if (error.path !== path) wrong.push(`expected path ${path}, got ${error.path} (${error.message})`);
      }
      expect(wrong).toEqual([]);
      expect(await store.streamVersion(streamId)).toBe(2);
    });
  });
}
