import { type AppendOptions, type AppendResult, DuplicateEventError, type NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Refuses every batch with a known event id, exact retries included. */
export class NonIdempotentRetryStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const known = Array.isArray(events)
      ? events.find((e) => e?.id !== undefined && this.storage.eventsById.has(e.id))
      : undefined;
    if (known?.id !== undefined) return Promise.reject(new DuplicateEventError(known.id, streamId));
    return this.inner.append(streamId, events, options);
  }
}
