import { setImmediate } from 'node:timers';
import { type AppendOptions, type AppendResult, type NewEvent, StoreUnavailableError } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';
import { holdsRefused } from './refusing-memory-event-store.js';

interface GroupedAppend {
  write: () => Promise<AppendResult>;
  refused: boolean;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the appends that arrive together as one transaction, like the SQL adapters' grouped
 * writers, but when the storage refuses one of them, fails the whole group as
 * StoreUnavailableError: the innocent appends are lost with the offender, and retrying never helps.
 */
export class FailsWholeGroupStore extends DelegatingEventStore {
  private group: GroupedAppend[] | undefined;

  override append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      if (this.group === undefined) {
        this.group = [];
        setImmediate(() => void this.writeGroup());
      }
      const write = () => this.inner.append(streamId, events, options);
      this.group.push({ write, refused: holdsRefused(events), resolve, reject });
    });
  }

  private async writeGroup(): Promise<void> {
    const group = this.group ?? [];
    this.group = undefined;
    if (group.some((append) => append.refused)) {
      const error = new StoreUnavailableError('grouped', new Error('the group transaction failed'));
      for (const append of group) append.reject(error);
      return;
    }
    for (const append of group) await append.write().then(append.resolve, append.reject);
  }
}
