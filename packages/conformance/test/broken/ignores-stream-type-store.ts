import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Never stores the stream type: every event reads back as the default type. */
export class IgnoresStreamTypeStore extends DelegatingEventStore {
  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((e) => ({ ...e, streamType: 'default' }));
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((e) => ({ ...e, streamType: 'default' }));
  }
}
