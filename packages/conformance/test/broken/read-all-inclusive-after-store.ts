import type { ReadAllOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Off by one: `readAll` includes the event at `after` (`WHERE position >= ?`), and answers without
 * yielding to the event loop, so a reader paging with it never moves past its last event and no
 * timer (a test's timeout included) ever fires.
 */
export class ReadAllInclusiveAfterStore extends DelegatingEventStore {
  override readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after } = options;
    return this.inner.readAll(
      typeof after === 'bigint' && after > 0n ? { ...options, after: after - 1n } : options,
    );
  }
}
