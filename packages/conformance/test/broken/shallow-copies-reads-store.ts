import type { ReadAllOptions, ReadStreamsOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Keeps the events `readAll` and `readStreams` decoded and hands out a new event object for each
 * read, but a shallow one: its data, metadata and dates are the cached ones, so a caller (or a
 * wrapper opening fields in place) changing them changes every later read.
 */
export class ShallowCopiesReadsStore extends DelegatingEventStore {
  private readonly cache = new Map<string, RecordedEvent>();

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((event) => this.shallowCopy(event));
  }

  override async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    const streams = await this.inner.readStreams(streamIds, options);
    for (const [id, events] of streams)
      streams.set(
        id,
        events.map((event) => this.shallowCopy(event)),
      );
    return streams;
  }

  private shallowCopy(event: RecordedEvent): RecordedEvent {
    const cached = this.cache.get(event.id) ?? event;
    this.cache.set(event.id, cached);
    return { ...cached };
  }
}
