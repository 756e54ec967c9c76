import type { ReadAllOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Filters `readAll` by type through a plain object: `wanted[type]` finds `Object.prototype`'s
 * members, so events of type `toString` or `__proto__` pass any filter.
 */
export class FiltersTypesThroughObjectStore extends DelegatingEventStore {
  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { types, limit, ...rest } = options;
    if (types === undefined) return this.inner.readAll(options);
    const wanted: Record<string, unknown> = {};
    for (const type of types) wanted[type] = true;
    const matching = (await this.inner.readAll(rest)).filter((event) => Boolean(wanted[event.type]));
    return limit === undefined ? matching : matching.slice(0, limit);
  }
}
