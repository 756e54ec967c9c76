import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Writes a batch one event at a time, so an event that fails leaves the ones before it written. */
export class HalfWritingBatchStore extends DelegatingEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (!Array.isArray(events) || events.length === 0) return this.inner.append(streamId, events, options);
    let first: AppendResult | undefined;
    let last: AppendResult | undefined;
    for (const [i, event] of events.entries()) {
      last = await this.inner.append(
        streamId,
        [event],
        i === 0 ? options : { ...options, expectedVersion: 'any' },
      );
      first ??= last;
    }
    return { ...last!, firstVersion: first!.firstVersion };
  }
}
