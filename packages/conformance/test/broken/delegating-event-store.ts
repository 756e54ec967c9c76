import type {
  AppendOptions,
  AppendResult,
  EventRewrite,
  EventRewriter,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
} from '@strata/core';
import type { MemoryEventStore, MemoryStorage } from '@strata/store-memory';
import { RefusingMemoryEventStore } from './refusing-memory-event-store.js';

/**
 * A correct store (the memory reference) that each broken adapter overrides in one place, the way
 * a real adapter gets one thing wrong. `storage` lets fixtures open peers and simulate outages; the
 * inner store refuses events of `REFUSED_TYPE`, as a backend with a constraint would.
 */
export class DelegatingEventStore implements EventStore, EventRewriter {
  protected readonly inner: MemoryEventStore;

  constructor(readonly storage: MemoryStorage) {
    this.inner = new RefusingMemoryEventStore({ storage });
  }

  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.append(streamId, events, options);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readStreams(streamIds: string[], options?: ReadStreamsOptions): Promise<Map<string, RecordedEvent[]>> {
    return this.inner.readStreams(streamIds, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  streamVersion(streamId: string): Promise<number> {
    return this.inner.streamVersion(streamId);
  }

  rewriteEvent(rewrite: EventRewrite): Promise<void> {
    return this.inner.rewriteEvent(rewrite);
  }

  rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    return this.inner.rewriteEvents(rewrites);
  }

  lastPosition(): Promise<bigint> {
    return this.inner.lastPosition();
  }

  storageId(): Promise<string> {
    return this.inner.storageId();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
