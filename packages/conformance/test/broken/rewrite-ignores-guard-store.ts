import { type EventRewrite, prepareRewrite, rewriteConflict } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Rewrites whatever event it finds at the version, checking neither its type nor its schema
 * version: two migrations racing both "win", and the second upcasts an already upcast payload.
 */
export class RewriteIgnoresGuardStore extends DelegatingEventStore {
  override async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    const stored = this.storage.streams.get(prepared.streamId)?.[prepared.version - 1];
    if (stored === undefined) throw rewriteConflict(prepared, undefined);
    await this.inner.rewriteEvent({
      ...rewrite,
      id: stored.id,
      position: stored.position,
      expectedType: stored.type,
      expectedSchemaVersion: stored.schemaVersion,
    });
  }
}
