import { type AppendOptions, type AppendResult, type NewEvent, prepareAppend } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Rows per transaction, like an adapter bound by a statement's parameter limit. */
const CHUNK = 500;

/**
 * Validates the whole batch first, then commits a large one in several transactions of `CHUNK`
 * events: a failure the backend reports late (a duplicate id in the last chunk) leaves the chunks
 * before it written.
 */
export class ChunkCommittingStore extends DelegatingEventStore {
  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (!Array.isArray(events) || events.length <= CHUNK) return this.inner.append(streamId, events, options);
    prepareAppend(streamId, events, options);
    let first: AppendResult | undefined;
    let last: AppendResult | undefined;
    for (let start = 0; start < events.length; start += CHUNK) {
      const chunkOptions = start === 0 ? options : { ...options, expectedVersion: 'any' as const };
      last = await this.inner.append(streamId, events.slice(start, start + CHUNK), chunkOptions);
      first ??= last;
    }
    return { ...last!, firstVersion: first!.firstVersion };
  }
}
