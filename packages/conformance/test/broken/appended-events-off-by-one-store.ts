import { type AppendOptions, type AppendResult, type NewEvent, withRecordedEvents } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Reports its appended events one position too far, as an adapter that computes them instead of
 * taking what it stored might (counting from the last position instead of the first, say).
 */
export class AppendedEventsOffByOneStore extends DelegatingEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const result = await this.inner.append(streamId, events, options);
    const recorded = result.events;
    if (recorded === undefined) return result;
    return withRecordedEvents(result, () => recorded.map((e) => ({ ...e, position: e.position + 1n })));
  }
}
