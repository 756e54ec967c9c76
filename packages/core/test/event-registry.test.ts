import { describe, expect, it } from 'vitest';
import { SerializationError } from '../src/errors/serialization-error.js';
import type { RecordedEvent } from '../src/event.js';
import { EventRegistry } from '../src/event-registry.js';
import { prepareAppend } from '../src/prepare-append.js';
import { ValueCodec } from '../src/value-codec.js';

class Money {
  constructor(
    readonly cents: bigint,
    readonly currency: string,
  ) {}
}

function stored(event: { type: string; data: unknown; metadata?: unknown }): RecordedEvent {
  // What a store hands back: the JSON text, parsed.
  const [prepared] = prepareAppend('s', [event as never]).events;
  return {
    id: prepared!.id,
    streamId: 's',
    streamType: 'default',
    type: event.type,
    data: JSON.parse(prepared!.dataJson),
    metadata: JSON.parse(prepared!.metadataJson),
    schemaVersion: prepared!.schemaVersion,
    version: 1,
    position: 1n,
    occurredAt: prepared!.occurredAt,
    recordedAt: prepared!.occurredAt,
  };
}

describe('EventRegistry', () => {
  const codec = new ValueCodec().register<Money>('Money', {
    is: (value): value is Money => value instanceof Money,
    encode: (money) => ({ cents: money.cents, currency: money.currency }),
    decode: (json) => {
      const { cents, currency } = json as { cents: bigint; currency: string };
      return new Money(cents, currency);
    },
  });
  const registry = new EventRegistry({ codec }).register('order.placed', { schemaVersion: 2 });

  it('round-trips Dates, bigints, value objects and tag-like keys through a store', () => {
    const data = {
      placedAt: new Date('2026-11-27T10:00:00.123Z'),
      total: new Money(12_345_678_901_234_567_890n, 'EUR'),
      lines: [{ sku: 'a', at: new Date(0) }],
      weird: { $date: 'not a date', $value: 1 },
      nothing: null,
    };
    const encoded = registry.serialize({ type: 'order.placed', data });
    expect(encoded.schemaVersion).toBe(2);
    const decoded = registry.deserialize(stored(encoded));
    expect(decoded.data).toEqual(data);
    expect((decoded.data as typeof data).total).toBeInstanceOf(Money);
  });

  it('refuses unregistered types both ways, with a message that says what to do', () => {
    expect(() => registry.serialize({ type: 'order.cancelled', data: {} })).toThrow(/register/);
    expect(() => registry.deserialize(stored({ type: 'order.cancelled', data: {} }))).toThrow(
      SerializationError,
    );
  });

  it('can pass unknown stored types through', () => {
    const lenient = new EventRegistry({ unknownTypes: 'passthrough' });
    const event = stored({ type: 'legacy', data: { a: 1 } });
    expect(lenient.deserialize(event)).toBe(event);
  });

  it('refuses registering a type twice', () => {
    expect(() => new EventRegistry().register('a').register('a')).toThrow(SerializationError);
  });

  it('names an unknown value type on decode', () => {
    const bare = new EventRegistry().register('order.placed');
    const event = stored({ type: 'order.placed', data: { $value: 'Money', data: {} } });
    expect(() => bare.deserialize(event)).toThrow(/Money/);
  });
});
