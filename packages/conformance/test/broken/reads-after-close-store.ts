import { type ReadAllOptions, type RecordedEvent, StoreClosedError } from '@strata/core';
import { MemoryEventStore } from '@strata/store-memory';
import { DelegatingEventStore } from './delegating-event-store.js';

/** `close()` stops appends, but `readAll` still answers from storage, as a pool left open would. */
export class ReadsAfterCloseStore extends DelegatingEventStore {
  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    try {
      return await this.inner.readAll(options);
    } catch (error) {
      if (!StoreClosedError.isInstance(error)) throw error;
      return new MemoryEventStore({ storage: this.storage }).readAll(options);
    }
  }
}
