import { expect } from 'vitest';

/**
 * Asserts that `actual` is the JSON value `expected` built from plain parts: the same own keys at
 * every level (in any order: some databases reorder them), plain prototypes, equal leaves.
 * `toEqual` alone can miss a copy that turned a `"__proto__"` key into the object's prototype.
 */
export function expectPlainJsonShape(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected !== 'object' || expected === null) {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(typeof actual === 'object' && actual !== null, `${path} is an object`).toBe(true);
  const prototype = Array.isArray(expected) ? Array.prototype : Object.prototype;
  expect(Object.getPrototypeOf(actual) === prototype, `${path} has a plain prototype`).toBe(true);
  const keys = Object.keys(expected).sort();
  const own = Object.getOwnPropertyNames(actual);
  const ownKeys = Array.isArray(actual) ? own.filter((key) => key !== 'length') : own;
  expect(ownKeys.sort(), `${path} own keys`).toEqual(keys);
  for (const key of keys) {
    // A property read would find an inherited value where the own key is missing.
    const child = Object.getOwnPropertyDescriptor(actual, key)?.value;
    expectPlainJsonShape(child, (expected as Record<string, unknown>)[key], `${path}.${key}`);
  }
}
