import { randomUUID } from 'node:crypto';
import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Gives events without an id a random UUID v4, as a database default might, not the UUID v7 the contract names. */
export class RandomUuidIdsStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const withIds = Array.isArray(events)
      ? events.map((e) =>
          e !== null && typeof e === 'object' && e.id === undefined ? { ...e, id: randomUUID() } : e,
        )
      : events;
    return this.inner.append(streamId, withIds, options);
  }
}
