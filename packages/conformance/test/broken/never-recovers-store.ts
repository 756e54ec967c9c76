import {
  type AppendOptions,
  type AppendResult,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  StoreUnavailableError,
} from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Keeps the connection that failed: once storage was unreachable, every later call fails too. */
export class NeverRecoversStore extends DelegatingEventStore {
  private broken = false;

  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.guard(() => this.inner.append(streamId, events, options));
  }

  override readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.guard(() => this.inner.readStream(streamId, options));
  }

  override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.guard(() => this.inner.readAll(options));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.broken) throw new StoreUnavailableError('never-recovers', new Error('connection is dead'));
    try {
      return await call();
    } catch (error) {
      if (StoreUnavailableError.isInstance(error)) this.broken = true;
      throw error;
    }
  }
}
