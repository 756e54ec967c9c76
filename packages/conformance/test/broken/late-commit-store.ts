import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppendOptions,
  type AppendResult,
  type NewEvent,
  normalizeReadAll,
  type ReadAllOptions,
  type RecordedEvent,
} from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Takes positions when the write starts but commits (becomes visible to readAll) later, so a
 * later append can become visible first: the seed guide's auto-increment gap, which makes a
 * tailing reader skip the late event for ever.
 */
export class LateCommitStore extends DelegatingEventStore {
  private readonly uncommitted = new Set<string>();
  private appends = 0;

  override async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const logLength = this.storage.log.length;
    const result = await this.inner.append(streamId, events, options);
    const ids = this.storage.log.slice(logLength).map((event) => event.id);
    for (const id of ids) this.uncommitted.add(id);
    // Every third transaction is slow to commit.
    await sleep(this.appends++ % 3 === 0 ? 5 : 0);
    for (const id of ids) this.uncommitted.delete(id);
    return result;
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { limit } = normalizeReadAll(options);
    const visible = (await this.inner.readAll({ ...options, limit: undefined })).filter(
      (e) => !this.uncommitted.has(e.id),
    );
    return limit === undefined ? visible : visible.slice(0, limit);
  }
}
