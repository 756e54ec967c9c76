import { describe, expect, it } from 'vitest';
import { AggregateRoot, type EventHandlers } from '../src/aggregate-root.js';
import { SerializationError } from '../src/errors/serialization-error.js';
import type { RecordedEvent } from '../src/event.js';
import { EventRegistry } from '../src/event-registry.js';
import { ValueCodec } from '../src/value-codec.js';

// Stored JSON comes from anyone who could append: JSON.parse makes "__proto__" an own key, and
// that is how it must stay. A copy made with `out[key] = value` would set the prototype instead.
const CRAFTED_TEXT =
  '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"prototype":2,' +
  '"nested":{"__proto__":{"isAdmin":true},"list":[{"__proto__":[]}]},"at":{"$date":"2026-01-01T00:00:00.000Z"}}';

function crafted(): Record<string, unknown> {
  return JSON.parse(CRAFTED_TEXT);
}

/** Own keys all the way down, in order, and plain prototypes: what `JSON.stringify` can see and more. */
function expectPlainOwnShape(actual: unknown, expected: unknown): void {
  if (typeof expected !== 'object' || expected === null || expected instanceof Date) {
    expect(actual).toEqual(expected);
    return;
  }
  expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
  expect(Reflect.ownKeys(actual as object)).toEqual(Reflect.ownKeys(expected));
  for (const key of Reflect.ownKeys(expected)) {
    expectPlainOwnShape(
      Object.getOwnPropertyDescriptor(actual, key)?.value,
      Object.getOwnPropertyDescriptor(expected, key)?.value,
    );
  }
}

function recorded(type: string, data: unknown, metadata: unknown = {}): RecordedEvent {
  return {
    id: 'e-1',
    streamId: 's-1',
    streamType: 'default',
    type,
    data,
    metadata: metadata as Record<string, unknown>,
    schemaVersion: 1,
    version: 1,
    position: 1n,
    occurredAt: new Date(0),
    recordedAt: new Date(0),
  };
}

describe('prototype keys in payloads', () => {
  const codec = new ValueCodec();
  const withDate = () => ({ ...crafted(), at: new Date('2026-01-01T00:00:00.000Z') });

  it('ValueCodec.decode keeps __proto__, constructor and prototype as own keys', () => {
    const decoded = codec.decode(crafted()) as Record<string, unknown>;
    expect((decoded as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect((decoded.nested as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expectPlainOwnShape(decoded, withDate());
  });

  it('ValueCodec.encode keeps them too, so they reach the store', () => {
    const encoded = codec.encode(withDate());
    expect(JSON.stringify(encoded)).toBe(CRAFTED_TEXT);
    expectPlainOwnShape(encoded, crafted());
  });

  it('a tag-like key next to __proto__ is escaped and restored as own keys', () => {
    const data = JSON.parse('{"__proto__":{"$date":"not a date"},"$date":"literal"}');
    const decoded = codec.decode(JSON.parse(JSON.stringify(codec.encode(data))));
    expectPlainOwnShape(decoded, data);
  });

  it('EventRegistry round-trips them in data and metadata', () => {
    const registry = new EventRegistry().register('account.changed');
    const serialized = registry.serialize({ type: 'account.changed', data: withDate(), metadata: crafted() });
    const stored = recorded(
      'account.changed',
      JSON.parse(JSON.stringify(serialized.data)),
      JSON.parse(JSON.stringify(serialized.metadata)),
    );
    const event = registry.deserialize(stored);
    expect((event.data as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expectPlainOwnShape(event.data, withDate());
    expectPlainOwnShape(event.metadata, crafted());
  });
});

describe('event types named after Object.prototype members in the registry', () => {
  const types = ['toString', 'valueOf', 'constructor', 'hasOwnProperty', '__proto__'];

  it.each(types)('%s is unknown until registered, and then an ordinary type', (type) => {
    const empty = new EventRegistry();
    expect(empty.isRegistered(type)).toBe(false);
    expect(() => empty.serialize({ type, data: {} })).toThrow(SerializationError);
    expect(() => empty.deserialize(recorded(type, {}))).toThrow(SerializationError);

    const registry = new EventRegistry().register(type, { schemaVersion: 2 });
    expect(registry.isRegistered(type)).toBe(true);
    const serialized = registry.serialize({ type, data: crafted() });
    expect(serialized.schemaVersion).toBe(2);
    const event = registry.deserialize(recorded(type, JSON.parse(JSON.stringify(serialized.data))));
    expectPlainOwnShape(event.data, crafted());
  });
});

type NoteEvent = { type: 'note.added'; data: { text: string } };

class Notes extends AggregateRoot<NoteEvent> {
  texts: string[] = [];
  protected readonly handlers: EventHandlers<NoteEvent> = {
    'note.added': ({ text }) => {
      this.texts.push(text);
    },
  };
}

describe('AggregateRoot dispatch', () => {
  it.each([
    'toString',
    'valueOf',
    'constructor',
    'hasOwnProperty',
    'isPrototypeOf',
    '__proto__',
    '__defineGetter__',
  ])('a stored event of type %s is unknown, not handled by Object.prototype', (type) => {
    const notes = new Notes('n-1');
    let error: unknown;
    try {
      notes.applyHistory([recorded(type, {})]);
    } catch (caught) {
      error = caught;
    }
    expect(SerializationError.isInstance(error)).toBe(true);
    expect((error as SerializationError).eventType).toBe(type);
    expect((error as Error).message).toMatch(/Notes has no handler/);
    expect(notes.version).toBe(0);
  });

  it('own handlers still match, also one named after an Object.prototype member', () => {
    const notes = new Notes('n-1');
    notes.applyHistory([recorded('note.added', { text: 'hi' })]);
    expect(notes.texts).toEqual(['hi']);

    class Legacy extends AggregateRoot<{ type: 'toString'; data: null }> {
      seen = 0;
      protected readonly handlers: EventHandlers<{ type: 'toString'; data: null }> = {
        toString: () => {
          this.seen++;
        },
      };
    }
    const legacy = new Legacy('l-1');
    legacy.applyHistory([recorded('toString', null)]);
    expect(legacy.seen).toBe(1);
  });
});
