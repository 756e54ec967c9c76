import type { ReadAllOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Loses one event from every readAll result of three or more events (the middle one). */
export class ReadAllDropsEventStore extends DelegatingEventStore {
  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(options);
    if (events.length >= 3) events.splice(Math.floor(events.length / 2), 1);
    return events;
  }
}
