import { type AppendOptions, type AppendResult, DuplicateEventError, type NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Names the stream the append targeted as the one already holding a duplicate id, instead of its real owner. */
export class WrongExistingStreamStore extends DelegatingEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    try {
      return await this.inner.append(streamId, events, options);
    } catch (error) {
      if (!DuplicateEventError.isInstance(error)) throw error;
      throw new DuplicateEventError(error.eventId, error.streamId, error.streamId);
    }
  }
}
