import { type AppendOptions, type AppendResult, DuplicateEventError, type NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Keeps event ids unique case-insensitively, as a unique index under a case-insensitive collation
 * does: an id differing from a stored one only by case is refused as a duplicate.
 */
export class CaseFoldingIdsStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const stored = new Map([...this.storage.eventsById.values()].map((e) => [e.id.toLowerCase(), e]));
    for (const event of Array.isArray(events) ? events : []) {
      if (typeof event?.id !== 'string') continue;
      const existing = stored.get(event.id.toLowerCase());
      if (existing !== undefined && existing.id !== event.id) {
        return Promise.reject(new DuplicateEventError(event.id, streamId, existing.streamId));
      }
    }
    return this.inner.append(streamId, events, options);
  }
}
