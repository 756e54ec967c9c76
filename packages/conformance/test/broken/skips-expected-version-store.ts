import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Never checks the expected version. */
export class SkipsExpectedVersionStore extends DelegatingEventStore {
  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.append(streamId, events, { ...options, expectedVersion: 'any' });
  }
}
