import {
  type AppendOptions,
  type AppendResult,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  StoreUnavailableError,
} from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Throws the right error class during an outage, but drops the driver's error instead of keeping it as `cause`. */
export class UnavailableWithoutCauseStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return withoutCause(this.inner.append(streamId, events, options));
  }

  override readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return withoutCause(this.inner.readStream(streamId, options));
  }
}

async function withoutCause<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (StoreUnavailableError.isInstance(error)) throw new StoreUnavailableError(error.store, undefined);
    throw error;
  }
}
