import type { EventStore, NewEvent, RecordedEvent } from '@strata/core';
import { describe, expect } from 'vitest';
import { resultFields } from '../append-result-fields.js';
import type { EventStoreConformanceOptions } from '../conformance-options.js';
import { kitTest } from '../kit-test.js';
import { markLogPosition, readOwnEvents } from '../log-reader.js';
import { expectPlainJsonShape } from '../plain-json-shape.js';
import { useStoreFixture } from '../store-fixture.js';
import { uniqueEventId, uniqueEventType, uniqueStreamId } from '../unique-names.js';

/** What a JSON round trip makes of `value`: the only thing a store can promise to give back. */
function viaJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { level: i, next: value } : [i, value];
  return value;
}

const UNICODE = {
  emoji: '👩‍👩‍👧‍👦 🇳🇱 🧪✅',
  cjk: '漢字かなカナ한국어',
  rtl: 'עברית العربية',
  astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 𝄞',
  combining: 'e\u0301 vs \u00e9',
  escapes: 'quote " backslash \\ slash / tab \t newline \n return \r formfeed \f backspace \b',
  separators: 'line\u2028paragraph\u2029',
  control: 'nul \u0000 bell \u0007 escape \u001b delete \u007f',
  bom: '\ufeffbom',
  sql: '\'; DROP TABLE events; -- " ` $1 ? %s %_',
  keys: { ключ: 1, '🔑': 2, '': 3, 'a.b': 4, 'a"b': 5, $where: 6 },
};

const NUMBERS = {
  zero: 0,
  negativeZero: -0,
  one: 1,
  negative: -42,
  float: Math.PI,
  tenth: 0.1,
  sum: 0.1 + 0.2,
  tiny: 5e-324,
  small: -1e-7,
  huge: 1.7976931348623157e308,
  exponent: 1e21,
  maxSafe: Number.MAX_SAFE_INTEGER,
  minSafe: Number.MIN_SAFE_INTEGER,
  bigIntLike: 2 ** 53 - 2,
  list: [0, -0, 1.5, -2.25, 1e-10, 123456789012],
};

const EMPTIES = {
  null: null,
  emptyString: '',
  emptyArray: [],
  emptyObject: {},
  nestedEmpties: [[], {}, [{}], { a: [] }, ''],
  booleans: [true, false],
  nulls: [null, null],
  spaces: '   ',
};

/**
 * Keys that name members of `Object.prototype`, at the top level and nested. `JSON.parse` makes
 * `"__proto__"` an own key; a copy made with `out[key] = value` drops it and hands the object a
 * prototype chosen by whoever wrote the event (`data.isAdmin` reads `true`).
 */
const PROTOTYPE_KEYS_DATA =
  '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}},"prototype":"p",' +
  '"nested":{"__proto__":[{"__proto__":null}],"constructor":"c","deeper":{"prototype":{"__proto__":{"isAdmin":true}}}},' +
  '"list":[{"__proto__":{"isAdmin":true}},{"constructor":[]}]}';
const PROTOTYPE_KEYS_METADATA =
  '{"__proto__":{"role":"admin"},"constructor":"x","prototype":{"__proto__":{"isAdmin":true}}}';

/** Event types a lookup through a plain object would confuse with `Object.prototype`'s members. */
const PROTOTYPE_MEMBER_TYPES = ['toString', 'valueOf', 'constructor', 'hasOwnProperty', '__proto__'];
/** The large payload's size as UTF-8 JSON, stated exactly: backends' limits are in bytes. */
const LARGE_PAYLOAD_BYTES = 1024 * 1024;

/** `{ text, list }` whose JSON is exactly `LARGE_PAYLOAD_BYTES` bytes of UTF-8. */
function largePayload(): { text: string; list: number[] } {
  const list = Array.from({ length: 20_000 }, (_, i) => i * 1.5);
  const frame = Buffer.byteLength(JSON.stringify({ text: '', list }));
  // 23 bytes: ASCII, and characters of 3 and 4 bytes; none needs escaping in JSON.
  const chunk = 'Strata ✓ 漢字 🧪 ';
  const textBytes = LARGE_PAYLOAD_BYTES - frame;
  const chunkBytes = Buffer.byteLength(chunk);
  const whole = chunk.repeat(Math.floor(textBytes / chunkBytes));
  return { text: whole + 'x'.repeat(textBytes - Buffer.byteLength(whole)), list };
}

/** JSON payloads and metadata come back exactly as a JSON round trip gives them. */
export function describePayloadFidelity(options: EventStoreConformanceOptions): void {
  describe('payload fidelity', () => {
    const fixture = useStoreFixture(options);

    /** Appends `events` and returns them as readStream, readStreams and readAll give them back. */
    async function roundTrip(store: EventStore, events: NewEvent[], streamId = uniqueStreamId('fidelity')) {
      const type = events[0]?.type ?? '';
      const after = await markLogPosition(store);
      await store.append(streamId, events);
      const viaStream = await store.readStream(streamId);
      const viaStreams = (await store.readStreams([streamId])).get(streamId) ?? [];
      const viaAll = (await store.readAll({ after, types: [type] })).filter((e) => e.streamId === streamId);
      expect(viaStreams).toEqual(viaStream);
      expect(viaAll).toEqual(viaStream);
      return viaStream;
    }

    async function expectDataRoundTrip(
      data: unknown,
      metadata?: Record<string, unknown>,
    ): Promise<RecordedEvent> {
      const store = await fixture.open();
      const event = {
        type: uniqueEventType('fidelity'),
        data,
        ...(metadata === undefined ? {} : { metadata }),
      };
      const [read] = await roundTrip(store, [event]);
      expect(read?.data).toEqual(viaJson(data));
      if (metadata !== undefined) expect(read?.metadata).toEqual(viaJson(metadata));
      return read!;
    }

    kitTest('unicode: emoji, CJK, RTL, astral, combining marks, escapes and control characters', async () => {
      await expectDataRoundTrip(UNICODE, { note: UNICODE.emoji, nested: { rtl: UNICODE.rtl } });
    });

    kitTest(
      'numbers: zero, negative zero (as JSON gives it back), floats, extremes and safe integers',
      async () => {
        const read = await expectDataRoundTrip(NUMBERS);
        expect(Object.is((read.data as { negativeZero: number }).negativeZero, 0)).toBe(true);
      },
    );

    kitTest('null, booleans and empty strings, arrays and objects', async () => {
      await expectDataRoundTrip(EMPTIES, { empty: '', list: [] });
    });

    kitTest('scalar and array payloads at the top level', async () => {
      for (const data of [null, 0, -1.5, true, false, '', 'text', [], [1, 'two', null], {}]) {
        await expectDataRoundTrip(data);
      }
    });

    kitTest('100 levels of nesting', async () => {
      await expectDataRoundTrip(nested(100, 'bottom'), { deep: nested(20, true) as Record<string, unknown> });
    });

    kitTest(
      `a payload of exactly ${LARGE_PAYLOAD_BYTES.toLocaleString('en')} bytes of JSON (1 MiB): a string of 1- to 4-byte UTF-8 characters and a 20,000-number array`,
      async () => {
        const data = largePayload();
        expect(Buffer.byteLength(JSON.stringify(data)), 'the payload as UTF-8 JSON').toBe(
          LARGE_PAYLOAD_BYTES,
        );
        await expectDataRoundTrip(data);
      },
    );

    kitTest('undefined properties are dropped, as JSON drops them', async () => {
      const read = await expectDataRoundTrip({ kept: 1, dropped: undefined, inner: { gone: undefined } });
      expect(read.data).toEqual({ kept: 1, inner: {} });
      expect(Object.keys(read.data as object)).toEqual(['kept', 'inner']);
    });

    kitTest('metadata round-trips with nested values', async () => {
      await expectDataRoundTrip(
        { x: 1 },
        {
          correlationId: uniqueEventId(),
          causation: { id: 'c-1', at: '2024-01-01T00:00:00.000Z' },
          tags: ['a', 'ü'],
          n: 0.5,
        },
      );
    });

    kitTest('occurredAt round-trips at millisecond precision, before and after the epoch', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('fidelity-time');
      const dates = [
        new Date('2024-02-29T23:59:59.999Z'),
        new Date('2021-01-01T00:00:00.001Z'),
        new Date(0),
        new Date(-1),
        new Date('1900-06-01T12:00:00.500Z'),
        new Date('2100-12-31T23:59:59.123Z'),
        new Date('9999-12-31T23:59:59.999Z'),
      ];
      const read = await roundTrip(
        store,
        dates.map((occurredAt) => ({ type, data: null, occurredAt })),
      );
      expect(read.map((e) => e.occurredAt.getTime())).toEqual(dates.map((d) => d.getTime()));
      for (const event of read) expect(event.occurredAt).toBeInstanceOf(Date);
    });

    kitTest(
      'stream ids and event types with quotes, semicolons, backslashes, wildcards and unicode',
      async () => {
        const store = await fixture.open();
        const base = uniqueStreamId('fidelity');
        const ids = [
          `${base}'quote`,
          `${base}"double"`,
          `${base}; DROP TABLE events; --`,
          `${base}\\back\\slash`,
          `${base}%_*?[]{}`,
          `${base} 漢字 עברית 🧪`,
          `${base}/path/like:id#1`,
          `${base}\ttab\nnewline`,
        ];
        for (const streamId of ids) {
          const type = `${uniqueEventType('fidelity')}'"; \\ % 🧪`;
          const [read] = await roundTrip(store, [{ type, data: { streamId } }], streamId);
          expect(read?.streamId).toBe(streamId);
          expect(read?.type).toBe(type);
          expect(await store.streamVersion(streamId)).toBe(1);
        }
        const all = await store.readStreams(ids);
        expect(ids.map((id) => all.get(id)?.length)).toEqual(ids.map(() => 1));
      },
    );

    kitTest(
      'stream ids differing only by case, trailing space or unicode normalization are distinct streams',
      async () => {
        const store = await fixture.open();
        const base = uniqueStreamId('fidelity-distinct');
        const ids = [
          `${base}-abc`,
          `${base}-ABC`,
          `${base}-abc `,
          `${base}-\u00e9`,
          `${base}-e\u0301`,
          `${base}-ab%`,
        ];
        const type = uniqueEventType('fidelity-distinct');
        for (const [i, streamId] of ids.entries()) {
          await store.append(streamId, [{ type, data: { i } }], { expectedVersion: 'no_stream' });
        }
        for (const [i, streamId] of ids.entries()) {
          const read = await store.readStream(streamId);
          expect(read.map((e) => e.data)).toEqual([{ i }]);
          expect(await store.streamVersion(streamId)).toBe(1);
        }
      },
    );

    kitTest('event ids round-trip exactly, whatever their format', async () => {
      const store = await fixture.open();
      const type = uniqueEventType('fidelity-ids');
      const suffix = uniqueEventId();
      const ids = [`order-${suffix}`, `ÜNICODE-${suffix}-🧪`, `${suffix.toUpperCase()}`, `'"\\;-${suffix}`];
      const read = await roundTrip(
        store,
        ids.map((id) => ({ id, type, data: null })),
      );
      expect(read.map((e) => e.id)).toEqual(ids);
    });

    kitTest(
      'keys named __proto__, constructor and prototype stay own keys, top level and nested, in data and metadata',
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('fidelity-proto');
        const type = uniqueEventType('fidelity-proto');
        const events = [1, 2].map(() => ({
          id: uniqueEventId(),
          type,
          data: JSON.parse(PROTOTYPE_KEYS_DATA),
          metadata: JSON.parse(PROTOTYPE_KEYS_METADATA),
        }));
        const after = await markLogPosition(store);
        const result = await store.append(streamId, events);
        const retried = await store.append(streamId, events);
        expect(resultFields(retried)).toEqual(resultFields(result));
        const reads: [via: string, events: readonly RecordedEvent[]][] = [
          ['readStream', await store.readStream(streamId)],
          ['readStream backward', (await store.readStream(streamId, { direction: 'backward' })).reverse()],
          ['readStreams', (await store.readStreams([streamId])).get(streamId) ?? []],
          ['readAll with types', await store.readAll({ after, types: [type] })],
          ['readAll without types', await readOwnEvents(store, after, [streamId])],
        ];
        // AppendResult.events is optional; the append-basics topic reports an adapter without it.
        if (result.events !== undefined) reads.push(['result.events', result.events]);
        if (retried.events !== undefined) reads.push(["the retry's result.events", retried.events]);
        for (const [via, read] of reads) {
          expect(
            read.map((e) => e.id),
            via,
          ).toEqual(events.map((e) => e.id));
          for (const event of read) {
            expectPlainJsonShape(event.data, JSON.parse(PROTOTYPE_KEYS_DATA), `${via}: data`);
            expectPlainJsonShape(event.metadata, JSON.parse(PROTOTYPE_KEYS_METADATA), `${via}: metadata`);
          }
        }
      },
    );

    kitTest(
      'event types named after Object.prototype members (toString, constructor, __proto__ …) are ordinary types',
      async () => {
        const store = await fixture.open();
        const streamId = uniqueStreamId('fidelity-types');
        const ordinary = uniqueEventType('fidelity-types');
        const types = [...PROTOTYPE_MEMBER_TYPES, ordinary];
        const events = types.map((type, n) => ({ id: uniqueEventId(), type, data: { n } }));
        const after = await markLogPosition(store);
        const result = await store.append(streamId, events);
        const retried = await store.append(streamId, events);
        expect(resultFields(retried)).toEqual(resultFields(result));
        expect(await store.streamVersion(streamId)).toBe(types.length);

        const read = await store.readStream(streamId);
        expect(read.map((e) => [e.type, e.data])).toEqual(events.map((e) => [e.type, e.data]));
        expect((await store.readStreams([streamId])).get(streamId)).toEqual(read);
        expect(await readOwnEvents(store, after, [streamId])).toEqual(read);
        if (result.events !== undefined) expect(result.events).toEqual(read);
        if (retried.events !== undefined) expect(retried.events).toEqual(read);

        const ownOf = (page: readonly RecordedEvent[]) => page.filter((e) => e.streamId === streamId);
        for (const type of types) {
          const typed = ownOf(await store.readAll({ after, types: [type] }));
          expect(
            typed.map((e) => e.type),
            `readAll({ types: [${JSON.stringify(type)}] })`,
          ).toEqual([type]);
        }
        expect(await store.readAll({ after, types: [ordinary] })).toEqual(read.slice(-1));
        expect(ownOf(await store.readAll({ after, types: PROTOTYPE_MEMBER_TYPES }))).toEqual(
          read.slice(0, -1),
        );
      },
    );

    kitTest('the store keeps its own copy: mutating inputs or results changes nothing stored', async () => {
      const store = await fixture.open();
      const streamId = uniqueStreamId('fidelity-copy');
      const data = { items: [{ qty: 1 }], label: 'original' };
      const metadata = { tags: ['a'] };
      await store.append(streamId, [{ type: uniqueEventType('fidelity-copy'), data, metadata }]);
      data.items[0]!.qty = 99;
      data.label = 'mutated input';
      metadata.tags.push('b');
      const [first] = await store.readStream(streamId);
      expect(first?.data).toEqual({ items: [{ qty: 1 }], label: 'original' });
      expect(first?.metadata).toEqual({ tags: ['a'] });
      (first!.data as { label: string }).label = 'mutated result';
      (first!.metadata as { tags: string[] }).tags.push('c');
      const [again] = await store.readStream(streamId);
      expect(again?.data).toEqual({ items: [{ qty: 1 }], label: 'original' });
      expect(again?.metadata).toEqual({ tags: ['a'] });
    });
  });
}
