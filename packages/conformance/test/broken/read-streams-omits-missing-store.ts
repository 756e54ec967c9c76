import type { ReadStreamsOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Leaves streams without events out of the readStreams result instead of mapping them to []. */
export class ReadStreamsOmitsMissingStore extends DelegatingEventStore {
  override async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    const result = await this.inner.readStreams(streamIds, options);
    for (const [id, events] of result) if (events.length === 0) result.delete(id);
    return result;
  }
}
