import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Stores events without an `occurredAt` at the epoch (a NOT NULL column defaulting to 0), not at now. */
export class EpochOccurredAtStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const dated = Array.isArray(events)
      ? events.map((e) =>
          e !== null && typeof e === 'object' && e.occurredAt === undefined
            ? { ...e, occurredAt: new Date(0) }
            : e,
        )
      : events;
    return this.inner.append(streamId, dated, options);
  }
}
