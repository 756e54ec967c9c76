import { SerializationError } from './errors/serialization-error.js';

/** How one kind of value object becomes JSON and back. */
export interface ValueType<V> {
  /** True for values of this kind; checked in registration order. */
  is(value: unknown): value is V;
  encode(value: V): unknown;
  decode(json: unknown): V;
}

const DATE = '$date';
const BIGINT = '$bigint';
const VALUE = '$value';
const ESCAPED = '$object';
const TAGS = new Set([DATE, BIGINT, VALUE, ESCAPED]);

/**
 * Turns domain payloads (with `Date`s, `bigint`s and registered value objects) into JSON-safe
 * values and back, exactly. Tagged objects such as `{ "$date": "2026-01-01T00:00:00.000Z" }` mark
 * non-JSON values; a plain object that happens to use a tag key is escaped, so nothing is misread.
 */
export class ValueCodec {
  private readonly types = new Map<string, ValueType<unknown>>();

  /** Registers a value type under a stable name (never a class name: classes get renamed). */
  register<V>(name: string, type: ValueType<V>): this {
    if (this.types.has(name))
      throw new SerializationError(name, 'a value type of that name is already registered');
    this.types.set(name, type as ValueType<unknown>);
    return this;
  }

  encode(value: unknown, eventType = '(value)'): unknown {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new SerializationError(eventType, 'contains an invalid Date');
      return { [DATE]: value.toISOString() };
    }
    if (typeof value === 'bigint') return { [BIGINT]: value.toString() };
    if (typeof value !== 'object' || value === null) return value;
    for (const [name, type] of this.types) {
      if (type.is(value)) return { [VALUE]: name, data: this.encode(type.encode(value), eventType) };
    }
    if (Array.isArray(value)) return value.map((item) => this.encode(item, eventType));
    let tagged = false;
    const out = ownCopy(value, (key, child) => {
      if (TAGS.has(key)) tagged = true;
      return this.encode(child, eventType);
    });
    return tagged ? { [ESCAPED]: out } : out;
  }

  decode(json: unknown, eventType = '(value)'): unknown {
    if (typeof json !== 'object' || json === null) return json;
    if (Array.isArray(json)) return json.map((item) => this.decode(item, eventType));
    const record = json as Record<string, unknown>;
    if (Object.hasOwn(record, DATE)) return new Date(String(record[DATE]));
    if (Object.hasOwn(record, BIGINT)) return BigInt(String(record[BIGINT]));
    if (Object.hasOwn(record, VALUE)) {
      const name = String(record[VALUE]);
      const type = this.types.get(name);
      if (type === undefined)
        throw new SerializationError(eventType, `value type "${name}" is not registered`);
      try {
        return type.decode(this.decode(record.data, eventType));
      } catch (cause) {
        throw new SerializationError(eventType, `value type "${name}" failed to decode`, { cause });
      }
    }
    const source = Object.hasOwn(record, ESCAPED) ? (record[ESCAPED] as object) : record;
    return ownCopy(source, (_key, child) => this.decode(child, eventType));
  }
}

/**
 * A plain object with `source`'s own keys mapped by `map`. Every key becomes an own property:
 * `out[key] = value` would call the `__proto__` setter for a stored `"__proto__"` key, dropping
 * the key and handing the object a prototype chosen by whoever wrote the event.
 */
function ownCopy(source: object, map: (key: string, child: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).map(([key, child]) => [key, map(key, child)]));
}
