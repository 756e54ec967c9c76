import type { ReadAllOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** A `readAll` without a limit returns at most 1,000 events: a default page size nobody asked for. */
export class ReadAllCapsUnlimitedStore extends DelegatingEventStore {
  override readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.inner.readAll(options.limit === undefined ? { ...options, limit: 1_000 } : options);
  }
}
