import type { EventRewrite } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Rewrites a batch one event at a time, each guarded on its own: a stale guard or bad input in the
 * middle of a batch leaves the rewrites before it written, and a migration's batch half done.
 */
export class RewriteBatchOneByOneStore extends DelegatingEventStore {
  override async rewriteEvents(rewrites: EventRewrite[]): Promise<void> {
    if (!Array.isArray(rewrites)) return this.inner.rewriteEvents(rewrites);
    for (const rewrite of rewrites) await this.inner.rewriteEvent(rewrite);
  }
}
