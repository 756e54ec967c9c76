import type { ReadAllOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Returns the last two events of every readAll result of two or more events swapped. */
export class ReadAllReordersStore extends DelegatingEventStore {
  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(options);
    const n = events.length;
    if (n >= 2) [events[n - 2], events[n - 1]] = [events[n - 1]!, events[n - 2]!];
    return events;
  }
}
