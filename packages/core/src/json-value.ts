import { ValidationError } from './errors/validation-error.js';

/**
 * Throws a `ValidationError` naming the exact path of the first value that would not survive a
 * JSON round trip unchanged: cycles, BigInt, functions, symbols, non-finite numbers, `undefined`
 * where JSON would turn it into `null` or drop the whole value, and objects that are not plain
 * (Dates, Maps, class instances): encode those with an `EventRegistry` first.
 */
export function assertJsonValue(value: unknown, path: string): void {
  visit(value, path, new Set());
}

function visit(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new ValidationError(path, `${value} is not a JSON number`);
      return;
    case 'undefined':
      throw new ValidationError(path, 'undefined is not a JSON value');
    case 'bigint':
      throw new ValidationError(path, 'BigInt is not a JSON value; store it as a string');
    case 'function':
    case 'symbol':
      throw new ValidationError(path, `a ${typeof value} is not a JSON value`);
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) throw new ValidationError(path, 'the value contains a cycle');
  ancestors.add(object);
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) visit(object[i], `${path}[${i}]`, ancestors);
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new ValidationError(
        path,
        `a ${kind} is not a plain JSON object; encode it first (see EventRegistry)`,
      );
    }
    for (const key of Object.keys(object)) {
      const child = (object as Record<string, unknown>)[key];
      // JSON drops undefined properties, and so does every store: that round-trips as "absent".
      if (child !== undefined) visit(child, `${path}.${key}`, ancestors);
    }
  }
  ancestors.delete(object);
}
