import type { AppendOptions, AppendResult, NewEvent } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Reports the last position this instance appended, kept in the process instead of read from the
 * storage: right for a single writer, but behind every other process's appends, so a reader asking
 * it moves back over events it has handled, or never reaches theirs.
 */
export class LastPositionPerInstanceStore extends DelegatingEventStore {
  private last = 0n;

  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const result = await this.inner.append(streamId, events, options);
    if (result.lastPosition > this.last) this.last = result.lastPosition;
    return result;
  }

  override async lastPosition(): Promise<bigint> {
    return this.last;
  }
}
