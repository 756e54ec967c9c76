import type { ReadStreamOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Caches the events it has read and hands out the same objects again: a caller's change to one reaches every later read. */
export class SharesReadObjectsStore extends DelegatingEventStore {
  private readonly cache = new Map<string, RecordedEvent>();

  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((event) => {
      const cached = this.cache.get(event.id) ?? event;
      this.cache.set(event.id, cached);
      return cached;
    });
  }
}
