import type { EventRewrite } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Stamps the rewrite's time as the event's `recordedAt`, as an `UPDATE … SET recorded_at = now()`
 * would: history then says the event was recorded during the migration.
 */
export class RewriteTouchesRecordedAtStore extends DelegatingEventStore {
  override async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    await this.inner.rewriteEvent(rewrite);
    const stored = this.storage.streams.get(rewrite.streamId)?.[rewrite.version - 1];
    if (stored !== undefined) stored.recordedAt += 1000;
  }
}
