import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors/validation-error.js';
import type { NewEvent } from '../src/event.js';
import { MAX_PAYLOAD_BYTES, prepareAppend, utf8ByteLength } from '../src/prepare-append.js';

function validationPath(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.path;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('prepareAppend', () => {
  it('fills in ids, metadata, schema version, occurredAt and the JSON text', () => {
    const prepared = prepareAppend('order-1', [{ type: 'order.placed', data: { total: 10 } }]);
    const [event] = prepared.events;
    expect(prepared).toMatchObject({ streamId: 'order-1', streamType: 'default', expectedVersion: 'any' });
    expect(event?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event?.metadata).toEqual({});
    expect(event?.schemaVersion).toBe(1);
    expect(event?.occurredAt).toBeInstanceOf(Date);
    expect(event?.dataJson).toBe('{"total":10}');
  });

  it("copies the caller's occurredAt, so changing that Date later changes nothing", () => {
    const occurredAt = new Date('2024-01-02T03:04:05.678Z');
    const [event] = prepareAppend('s', [{ type: 't', data: 1, occurredAt }]).events;
    occurredAt.setTime(0);
    expect(event?.occurredAt.toISOString()).toBe('2024-01-02T03:04:05.678Z');
  });

  it.each([
    ['empty stream id', () => prepareAppend('', [{ type: 't', data: 1 }]), 'streamId'],
    ['long stream id', () => prepareAppend('x'.repeat(256), [{ type: 't', data: 1 }]), 'streamId'],
    ['lone surrogate in stream id', () => prepareAppend('a\ud800', [{ type: 't', data: 1 }]), 'streamId'],
    ['NUL in event type', () => prepareAppend('s', [{ type: 'a\u0000b', data: 1 }]), 'events[0].type'],
    ['empty type', () => prepareAppend('s', [{ type: '', data: 1 }]), 'events[0].type'],
    [
      'empty stream type',
      () => prepareAppend('s', [{ type: 't', data: 1 }], { streamType: '' }),
      'options.streamType',
    ],
    ['no events', () => prepareAppend('s', []), 'events'],
    [
      'negative version',
      () => prepareAppend('s', [{ type: 't', data: 1 }], { expectedVersion: -1 }),
      'options.expectedVersion',
    ],
    [
      'fractional version',
      () => prepareAppend('s', [{ type: 't', data: 1 }], { expectedVersion: 1.5 }),
      'options.expectedVersion',
    ],
    ['undefined data', () => prepareAppend('s', [{ type: 't', data: undefined }]), 'events[0].data'],
    [
      'BigInt deep inside',
      () =>
        prepareAppend('s', [
          { type: 't', data: 1 },
          { type: 't', data: { a: [1, { b: 2n }] } },
        ]),
      'events[1].data.a[1].b',
    ],
    ['function', () => prepareAppend('s', [{ type: 't', data: { f: () => 1 } }]), 'events[0].data.f'],
    ['NaN', () => prepareAppend('s', [{ type: 't', data: { n: Number.NaN } }]), 'events[0].data.n'],
    [
      'Date instance',
      () => prepareAppend('s', [{ type: 't', data: { at: new Date() } }]),
      'events[0].data.at',
    ],
    [
      'undefined in array',
      () => prepareAppend('s', [{ type: 't', data: [1, undefined] }]),
      'events[0].data[1]',
    ],
    [
      'array metadata',
      () => prepareAppend('s', [{ type: 't', data: 1, metadata: [] as never }]),
      'events[0].metadata',
    ],
    [
      'invalid occurredAt',
      () => prepareAppend('s', [{ type: 't', data: 1, occurredAt: new Date(Number.NaN) }]),
      'events[0].occurredAt',
    ],
    [
      'schema version 0',
      () => prepareAppend('s', [{ type: 't', data: 1, schemaVersion: 0 }]),
      'events[0].schemaVersion',
    ],
    [
      'duplicate id in batch',
      () =>
        prepareAppend('s', [
          { type: 't', data: 1, id: 'a' },
          { type: 't', data: 2, id: 'a' },
        ]),
      'events[1].id',
    ],
  ])('rejects %s', (_name, run, path) => {
    expect(validationPath(run)).toBe(path);
  });

  it('rejects cycles with their path', () => {
    const data: Record<string, unknown> = { list: [] };
    (data.list as unknown[]).push(data);
    expect(validationPath(() => prepareAppend('s', [{ type: 't', data }]))).toBe('events[0].data.list[0]');
  });

  it('accepts repeated (non-cyclic) references and drops undefined properties like JSON does', () => {
    const shared = { x: 1 };
    const prepared = prepareAppend('s', [{ type: 't', data: { a: shared, b: shared, c: undefined } }]);
    expect(prepared.events[0]?.dataJson).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('accepts objects without a prototype', () => {
    const data = Object.assign(Object.create(null), { a: 1 });
    expect(prepareAppend('s', [{ type: 't', data }]).events[0]?.dataJson).toBe('{"a":1}');
  });

  it('rejects a hole in the events array as a missing event, before any adapter sees it', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the input under test
    const events = [, { type: 't', data: 1 }] as NewEvent[];
    expect(validationPath(() => prepareAppend('s', events))).toBe('events[0]');
  });

  it('accepts payloads nested deeper than the quick check looks, and names problems down there', () => {
    const nest = (leaf: unknown, depth: number): unknown =>
      depth === 0 ? leaf : { n: [nest(leaf, depth - 1)] };
    const deep = prepareAppend('s', [{ type: 't', data: nest('ok', 100) }]).events[0];
    expect(JSON.parse(deep?.dataJson ?? '')).toEqual(nest('ok', 100));
    const path = `events[0].data${'.n[0]'.repeat(100)}`;
    expect(validationPath(() => prepareAppend('s', [{ type: 't', data: nest(Number.NaN, 100) }]))).toBe(path);
  });

  it('rejects a cycle that starts deeper than the quick check looks, with its path', () => {
    const inner: Record<string, unknown> = {};
    inner.self = inner;
    let data: Record<string, unknown> = inner;
    for (let i = 0; i < 80; i++) data = { d: data };
    expect(validationPath(() => prepareAppend('s', [{ type: 't', data }]))).toBe(
      `events[0].data${'.d'.repeat(80)}.self`,
    );
  });

  it('keeps a generated id and a given one apart in one batch, and checks the given one', () => {
    const events = prepareAppend('s', [
      { type: 't', data: 1 },
      { type: 't', data: 2, id: 'given' },
    ]).events;
    expect(events[1]?.id).toBe('given');
    expect(events[0]?.id).not.toBe('given');
    expect(validationPath(() => prepareAppend('s', [{ type: 't', data: 1, id: 'a\ud800' }]))).toBe(
      'events[0].id',
    );
  });

  it('says whether the caller gave any id: generated ids are new, so only given ones can repeat', () => {
    expect(prepareAppend('s', [{ type: 't', data: 1 }]).callerIds).toBe(false);
    expect(
      prepareAppend('s', [
        { type: 't', data: 1 },
        { type: 't', data: 2 },
      ]).callerIds,
    ).toBe(false);
    expect(prepareAppend('s', [{ type: 't', data: 1, id: 'a' }]).callerIds).toBe(true);
    expect(
      prepareAppend('s', [
        { type: 't', data: 1 },
        { type: 't', data: 2, id: 'b' },
      ]).callerIds,
    ).toBe(true);
  });

  it('refuses a given id that repeats in the batch, wherever the repeat sits', () => {
    const twice = [
      { type: 't', data: 1, id: 'x' },
      { type: 't', data: 2 },
      { type: 't', data: 3, id: 'x' },
    ];
    expect(validationPath(() => prepareAppend('s', twice))).toBe('events[2].id');
  });

  it('checks every event type in a batch, not only the first of a run', () => {
    const types = (...names: string[]) => names.map((type, i) => ({ type, data: i }));
    expect(validationPath(() => prepareAppend('s', types('a', 'a', '')))).toBe('events[2].type');
    expect(validationPath(() => prepareAppend('s', types('a', 'b', 'a', 'x\u0000')))).toBe('events[3].type');
    const notAString = (type: unknown) => ({ type: type as string, data: 1 });
    expect(validationPath(() => prepareAppend('s', [...types('a'), notAString(7)]))).toBe('events[1].type');
    expect(validationPath(() => prepareAppend('s', [notAString(undefined)]))).toBe('events[0].type');
    expect(validationPath(() => prepareAppend('s', [notAString(undefined), ...types('a')]))).toBe(
      'events[0].type',
    );
  });

  it('names the problem in the message', () => {
    expect(() => prepareAppend('s', [{ type: 't', data: { n: 1n } }])).toThrow(
      /events\[0\]\.data\.n.*BigInt/,
    );
  });
});

describe('prepareAppend: the ranges every adapter accepts', () => {
  it('accepts schema version 2^31 - 1 and rejects 2^31 (an integer column cannot hold it)', () => {
    expect(
      prepareAppend('s', [{ type: 't', data: 1, schemaVersion: 2 ** 31 - 1 }]).events[0]?.schemaVersion,
    ).toBe(2 ** 31 - 1);
    expect(validationPath(() => prepareAppend('s', [{ type: 't', data: 1, schemaVersion: 2 ** 31 }]))).toBe(
      'events[0].schemaVersion',
    );
  });

  it('accepts data and metadata of MAX_PAYLOAD_BYTES together, in UTF-8, and rejects one byte more', () => {
    const metadata = { k: 'é' }; // {"k":"é"}: 10 bytes in UTF-8, 9 characters
    const metadataBytes = 10;
    const fill = (bytes: number) => 'x'.repeat(bytes - 2); // JSON adds the quotes
    const atLimit = fill(MAX_PAYLOAD_BYTES - metadataBytes);
    expect(prepareAppend('s', [{ type: 't', data: atLimit, metadata }]).events).toHaveLength(1);
    expect(
      validationPath(() =>
        prepareAppend('s', [
          { type: 't', data: 1 },
          { type: 't', data: `${atLimit}x`, metadata },
        ]),
      ),
    ).toBe('events[1].data');
  });

  it('counts multi-byte characters by their UTF-8 bytes, not by UTF-16 units', () => {
    // 3 bytes each in UTF-8: a third of the limit in characters is already the whole limit.
    const data = '€'.repeat(Math.ceil(MAX_PAYLOAD_BYTES / 3));
    expect(validationPath(() => prepareAppend('s', [{ type: 't', data }]))).toBe('events[0].data');
  });
});

describe('utf8ByteLength', () => {
  it.each(['', 'plain', 'é', '€ and ¥', '😀 astral 𝄞', '"\\u0000" ملف 漢字'])(
    'counts %j as UTF-8 does',
    (text) => {
      expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
    },
  );
});
