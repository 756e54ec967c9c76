import { type EventRewrite, prepareRewrite } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/** Writes the new data first and checks the guard after: a refused rewrite leaves its data behind. */
export class RewriteWritesBeforeGuardStore extends DelegatingEventStore {
  override async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    const stored = this.storage.streams.get(prepared.streamId)?.[prepared.version - 1];
    if (stored !== undefined) stored.dataJson = prepared.dataJson;
    await this.inner.rewriteEvent(rewrite);
  }
}
