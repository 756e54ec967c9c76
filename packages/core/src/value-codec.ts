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
    const out: Record<string, unknown> = {};
    let tagged = false;
    for (const [key, child] of Object.entries(value)) {
      if (TAGS.has(key)) tagged = true;
      out[key] = this.encode(child, eventType);
    }
    return tagged ? { [ESCAPED]: out } : out;
  }

  decode(json: unknown, eventType = '(value)'): unknown {
    if (typeof json !== 'object' || json === null) return json;
    if (Array.isArray(json)) return json.map((item) => this.decode(item, eventType));
    const record = json as Record<string, unknown>;
    if (DATE in record) return new Date(String(record[DATE]));
    if (BIGINT in record) return BigInt(String(record[BIGINT]));
    if (VALUE in record) {
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
    const source = ESCAPED in record ? (record[ESCAPED] as Record<string, unknown>) : record;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(source)) out[key] = this.decode(child, eventType);
    return out;
  }
}
