import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { type AppendOptions, type AppendResult, ConcurrencyError, type NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Locks a stream for each append and reports an append that finds it locked as a conflict, with
 * the stream's current version: the misreading of a lock wait timeout that made MySQL appends
 * expecting `'any'` fail with ConcurrencyError.
 */
export class LockTimeoutAsConflictStore extends DelegatingEventStore {
  private readonly locked = new Set<string>();

  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (this.locked.has(streamId)) {
      const current = await this.inner.streamVersion(streamId);
      throw new ConcurrencyError(streamId, options?.expectedVersion ?? 'any', current);
    }
    this.locked.add(streamId);
    try {
      await yieldToOthers();
      return await this.inner.append(streamId, events, options);
    } finally {
      this.locked.delete(streamId);
    }
  }
}
