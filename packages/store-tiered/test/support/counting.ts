import type { EventStore } from '@strata/core';
import type { HotTier } from '../../src/index.js';

export type Counts = Record<string, number>;

/**
 * Wraps an object so every method call is counted by name (but those in `uncounted`); the calls go
 * to the real object.
 */
export function counting<T extends object>(
  target: T,
  uncounted: readonly string[] = [],
): { subject: T; counts: Counts; reset(): void } {
  const counts: Counts = {};
  const subject = new Proxy(target, {
    get(obj, property, receiver) {
      const value = Reflect.get(obj, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        if (!uncounted.includes(property)) counts[property] = (counts[property] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
  return {
    subject,
    counts,
    reset() {
      for (const key of Object.keys(counts)) delete counts[key];
    },
  };
}

export type CountingWarm = ReturnType<typeof counting<EventStore>>;
export type CountingHot = ReturnType<typeof counting<HotTier>>;
