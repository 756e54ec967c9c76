/**
 * `?, ?, ?` for an IN list of `count` values, rounded up to a power of two: mysql2 prepares and
 * caches one statement per distinct SQL text on every connection, and the server caps prepared
 * statements in total, so lists come in a few sizes only, padded with repeats of the last value.
 */
export function inListSize(count: number): number {
  let size = 1;
  while (size < count) size *= 2;
  return size;
}

export function placeholders(count: number): string {
  return count === 1 ? '?' : `?${', ?'.repeat(count - 1)}`;
}

/** `values` padded to `size` with repeats of its last value (IN ignores duplicates). */
export function padded<T>(values: readonly T[], size: number): T[] {
  const result = values.slice();
  const last = values[values.length - 1];
  while (result.length < size) result.push(last as T);
  return result;
}

/** Splits `values` into chunks of at most `size`. */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) result.push(values.slice(i, i + size));
  return result;
}
