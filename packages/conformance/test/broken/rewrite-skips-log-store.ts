import { type EventRewrite, prepareRewrite, rewriteConflict, rewriteGuardHolds } from '@strata/core';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Rewrites the stream's copy of the event but not the global log's, as a Redis adapter that
 * forgets its second copy would: `readStream` shows the new payload, `readAll` the old one.
 */
export class RewriteSkipsLogStore extends DelegatingEventStore {
  override async rewriteEvent(rewrite: EventRewrite): Promise<void> {
    const prepared = prepareRewrite(rewrite);
    const stream = this.storage.streams.get(prepared.streamId);
    const stored = stream?.[prepared.version - 1];
    if (!rewriteGuardHolds(prepared, stored)) throw rewriteConflict(prepared, stored);
    stream![prepared.version - 1] = {
      ...stored!,
      type: prepared.type,
      schemaVersion: prepared.schemaVersion,
      dataJson: prepared.dataJson,
      metadataJson: prepared.metadataJson,
    };
  }
}
