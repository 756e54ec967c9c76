import type { AppendOptions, AppendResult, NewEvent, ReadStreamOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Lets the driver's own error through when storage is down, instead of StoreUnavailableError. */
export class LeaksDriverErrorsStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    if (this.storage.unavailable) return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5432'));
    return this.inner.append(streamId, events, options);
  }

  override readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    if (this.storage.unavailable) return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5432'));
    return this.inner.readStream(streamId, options);
  }
}
