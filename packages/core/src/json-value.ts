import { ValidationError } from './errors/validation-error.js';

/**
 * Throws a `ValidationError` naming the exact path of the first value that would not survive a
 * JSON round trip unchanged: cycles, BigInt, functions, symbols, non-finite numbers, `undefined`
 * where JSON would turn it into `null` or drop the whole value, and objects that are not plain
 * (Dates, Maps, class instances): encode those with an `EventRegistry` first.
 */
export function assertJsonValue(value: unknown, path: string): void {
  // Almost every payload is fine: a walk that builds no path and allocates nothing says so, and
  // only a payload it cannot vouch for pays for the walk that names the exact problem.
  if (isJsonValue(value)) return;
  new JsonWalk(path).visit(value);
}

/**
 * `assertJsonValue` without the error: true only for values it accepts, so a caller can build
 * the path an error needs only when this says false.
 */
export function isJsonValue(value: unknown): boolean {
  return isPlainJson(value, 0);
}

/**
 * Nesting beyond this is left to `JsonWalk`, which keeps the ancestors a cycle needs: a cycle here
 * just looks infinitely deep. Real payloads are far shallower.
 */
const FAST_WALK_DEPTH = 64;

/** True only when `JsonWalk` would accept the value too; false says "let `JsonWalk` look". */
function isPlainJson(value: unknown, depth: number): boolean {
  if (typeof value !== 'object') {
    return typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
  }
  if (value === null) return true;
  if (depth === FAST_WALK_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined && !isPlainJson(child, depth + 1)) return false;
  }
  return true;
}

/**
 * Keeps the keys of the current path on a stack and formats it only when something is wrong:
 * this runs for every field of every appended event, so the happy path builds no strings.
 */
class JsonWalk {
  private readonly keys: Array<string | number> = [];
  private readonly ancestors = new Set<object>();

  constructor(private readonly root: string) {}

  visit(value: unknown): void {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) this.fail(`${value} is not a JSON number`);
        return;
      case 'undefined':
        this.fail('undefined is not a JSON value');
        return;
      case 'bigint':
        this.fail('BigInt is not a JSON value; store it as a string');
        return;
      case 'function':
      case 'symbol':
        this.fail(`a ${typeof value} is not a JSON value`);
        return;
    }
    if (value === null) return;
    const object = value as object;
    if (this.ancestors.has(object)) this.fail('the value contains a cycle');
    this.ancestors.add(object);
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        this.keys.push(i);
        this.visit(object[i]);
        this.keys.pop();
      }
    } else {
      const proto = Object.getPrototypeOf(object);
      if (proto !== Object.prototype && proto !== null) {
        const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        this.fail(`a ${kind} is not a plain JSON object; encode it first (see EventRegistry)`);
      }
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        const child = (object as Record<string, unknown>)[key];
        // JSON drops undefined properties, and so does every store: that round-trips as "absent".
        if (child === undefined) continue;
        this.keys.push(key);
        this.visit(child);
        this.keys.pop();
      }
    }
    this.ancestors.delete(object);
  }

  private fail(problem: string): never {
    const path = this.keys.reduce<string>(
      (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`),
      this.root,
    );
    throw new ValidationError(path, problem);
  }
}
