import { ValidationError } from '@strata/core';

/** A configured field: its dotted path and the keys along it. */
export interface FieldPath {
  readonly path: string;
  readonly keys: readonly string[];
}

/** `card.number` as `['card', 'number']`; object keys only (an array is encrypted whole). */
export function parseFieldPath(path: unknown, where: string): FieldPath {
  if (typeof path !== 'string' || path.length === 0) throw new ValidationError(where, 'must be a field path');
  const keys = path.split('.');
  if (keys.some((key) => key.length === 0)) {
    throw new ValidationError(where, `"${path}" has an empty segment: name object keys joined by dots`);
  }
  return { path, keys };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `keys`, or `undefined` when the path does not lead to an own property. */
export function valueAt(data: unknown, keys: readonly string[]): unknown {
  let at: unknown = data;
  for (const key of keys) {
    if (!isPlainObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/**
 * A copy of `data` without the properties at `paths` (lists of keys; those it does not have are
 * skipped). Only the objects along the paths are copied, and each is built key by key: deleting
 * from a copy turned it into a slow dictionary object that every later step paid for.
 */
export function withoutValuesAt(
  data: Record<string, unknown>,
  paths: readonly (readonly string[])[],
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    let dropped = false;
    let nested: string[][] | undefined;
    for (const keys of paths) {
      if (keys[0] !== key) continue;
      if (keys.length === 1) {
        dropped = true;
      } else {
        nested ??= [];
        nested.push(keys.slice(1));
      }
    }
    if (dropped) continue;
    const value = data[key];
    defineValue(
      copy,
      key,
      nested !== undefined && isPlainObject(value) ? withoutValuesAt(value, nested) : value,
    );
  }
  return copy;
}

/**
 * Sets `value` at `keys` in `target`, in place: the objects along the path are changed, and those
 * missing are made. Only for objects that belong to whoever changes them, such as a read's events
 * (core's `EventStore` contract). False when the path crosses a value that is not an object; the
 * objects before that value may have been made already.
 */
export function setValueAt(
  target: Record<string, unknown>,
  keys: readonly string[],
  value: unknown,
): boolean {
  let at = target;
  const last = keys.length - 1;
  for (let i = 0; i < last; i++) {
    const key = keys[i]!;
    if (!Object.hasOwn(at, key)) defineValue(at, key, {});
    const next = at[key];
    if (!isPlainObject(next)) return false;
    at = next;
  }
  defineValue(at, keys[last]!, value);
  return true;
}

/** `object[key] = value`, except that a `__proto__` key of JSON data is defined, never assigned. */
export function defineValue(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
