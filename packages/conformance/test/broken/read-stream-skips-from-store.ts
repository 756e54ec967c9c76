import type { ReadStreamOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Off by one: a readStream from version n > 1 starts at n + 1 (`WHERE version > ?` instead of `>=`). */
export class ReadStreamSkipsFromStore extends DelegatingEventStore {
  override readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromVersion;
    return this.inner.readStream(
      streamId,
      from !== undefined && from > 1 ? { ...options, fromVersion: from + 1 } : options,
    );
  }
}
