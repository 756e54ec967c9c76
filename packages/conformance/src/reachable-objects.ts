/**
 * Every object reachable from `value` (arrays, `Date`s, `Map`s and plain objects alike), with the
 * path it was first found at: what a caller holding `value` can change.
 */
export function reachableObjects(value: unknown, path = 'result'): Map<object, string> {
  const found = new Map<object, string>();
  const visit = (at: unknown, where: string): void => {
    if (typeof at !== 'object' || at === null || found.has(at)) return;
    found.set(at, where);
    if (at instanceof Map) {
      for (const [key, entry] of at) visit(entry, `${where}.get(${JSON.stringify(key)})`);
    } else if (Array.isArray(at)) {
      for (let i = 0; i < at.length; i++) visit(at[i], `${where}[${i}]`);
    } else if (!(at instanceof Date)) {
      for (const key of Object.keys(at)) visit((at as Record<string, unknown>)[key], `${where}.${key}`);
    }
  };
  visit(value, path);
  return found;
}

/**
 * Changes everything a caller can change in `value`, as deep as it goes: every property of every
 * object (nested data and metadata first, then the fields that held them), every `Date`, every
 * array and `Map` (entries changed, then one added). What a careless caller, or a wrapper that
 * transforms events in place, could do to a read's result.
 */
export function mutateDeeply(value: unknown): void {
  for (const object of reachableObjects(value).keys()) {
    if (object instanceof Date) {
      object.setTime(0);
    } else if (object instanceof Map) {
      for (const key of object.keys()) object.set(key, ['changed by the caller']);
      object.set('added by the caller', []);
    } else if (Array.isArray(object)) {
      object.fill('changed by the caller');
      object.push('added by the caller');
    } else {
      const record = object as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = 'changed by the caller';
      record.addedByTheCaller = true;
    }
  }
}
